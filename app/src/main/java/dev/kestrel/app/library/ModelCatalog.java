package dev.kestrel.app.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The models Kestrel knows to work, to pull by a short name ({@code kestrel models pull Qwen3-0.6B}):
 * public Hugging Face repositories in the onnx-community / transformers.js layout. Kept in
 * {@code catalog.json} beside this class; any other repository can still be pulled by its id.
 */
public final class ModelCatalog {

    /** A known model: its short name, repository, whether it sees images and thinks, and what it is good for. */
    public record Entry(String name, String repo, boolean sees, boolean thinks, String about) {}

    private ModelCatalog() {}

    public static List<Entry> entries() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream("catalog.json")) {
            if (in == null) {
                throw new IllegalStateException("catalog.json is missing from Kestrel's jar");
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonNode node : new ObjectMapper().readTree(in)) {
                entries.add(new Entry(node.get("name").asText(), node.get("repo").asText(), node.path("sees").asBoolean(),
                        node.path("thinks").asBoolean(), node.path("about").asText()));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The catalog's entry called {@code name} (any case), if there is one. */
    public static Optional<Entry> find(String name) {
        return entries().stream().filter(e -> e.name().toLowerCase(Locale.ROOT).equals(name.strip().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** A repository id for {@code spec}: a catalog name becomes its repository, anything else stays as written. */
    public static String repository(String spec) {
        return find(spec).map(Entry::repo).orElse(spec);
    }
}
