package dev.kestrel.app.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.app.AppException;
import dev.kestrel.inference.model.Variant;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model repository on the Hugging Face Hub (or a mirror of its API, such as HF_ENDPOINT names)
 * in the onnx-community / transformers.js layout: which of its files Kestrel needs. Its files are
 * listed with the Hub's tree API, which gives each file's size and checksum; a file is fetched
 * from {@code ENDPOINT/REPO/resolve/REVISION/PATH}, as transformers.js fetches it.
 */
public final class HuggingFace {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    private static final Pattern REPO = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)(?:@([A-Za-z0-9._/-]+))?");
    private static final Pattern PAGE = Pattern.compile(
            "https://(?:www\\.)?huggingface\\.co/([A-Za-z0-9][A-Za-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)(?:/tree/([A-Za-z0-9._-]+))?/?");
    /** The ONNX graphs a model is made of; each is fetched in one variant. */
    static final List<String> GRAPHS = List.of("model", "embed_tokens", "decoder_model_merged", "vision_encoder");
    /** Files beside the graphs that a model folder may need. */
    static final List<String> CONFIGS = List.of("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "preprocessor_config.json", "processor_config.json", "chat_template.jinja", "chat_template.json");

    /** Whether {@code text} is the address of a model's page on the Hub (which {@link Repo#parse} reads). */
    static boolean isModelPage(String text) {
        return PAGE.matcher(text.strip()).matches();
    }

    /** A repository id with its revision: {@code onnx-community/Qwen3-0.6B-ONNX@main}. */
    public record Repo(String owner, String name, String revision) {

        /** {@code owner/name[@revision]}, or a model page's address: {@code https://huggingface.co/owner/name[/tree/revision]}. */
        public static Repo parse(String text) {
            Matcher page = PAGE.matcher(text.strip());
            if (page.matches()) {
                return new Repo(page.group(1), page.group(2), page.group(3) == null ? "main" : page.group(3));
            }
            Matcher m = REPO.matcher(text.strip());
            if (!m.matches()) {
                throw new AppException("'" + text + "' is neither a model Kestrel knows (" + String.join(", ",
                        ModelCatalog.entries().stream().map(ModelCatalog.Entry::name).toList()) + ") nor a Hugging Face model id, "
                        + "written as owner/name such as onnx-community/Qwen3-0.6B-ONNX (optionally @revision)");
            }
            return new Repo(m.group(1), m.group(2), m.group(3) == null ? "main" : m.group(3));
        }

        public String id() {
            return owner + "/" + name;
        }

        @Override
        public String toString() {
            return id() + (revision.equals("main") ? "" : "@" + revision);
        }
    }

    /** A file the repository lists, with what the Hub says about it. */
    record Listed(String path, long size, Optional<Checksum> checksum) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI endpoint;
    private final Optional<String> token;

    public HuggingFace(HttpClient client, URI endpoint, Optional<String> token) {
        this.client = client;
        this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", ""));
        this.token = token;
    }

    /**
     * The Hub itself, or a mirror named by the system property {@code kestrel.hf-endpoint}, or
     * KESTREL_HF_ENDPOINT / HF_ENDPOINT; HF_TOKEN for gated models.
     */
    public static HuggingFace standard() {
        String endpoint = firstSet(System.getProperty("kestrel.hf-endpoint"), System.getenv("KESTREL_HF_ENDPOINT"),
                System.getenv("HF_ENDPOINT"));
        String token = System.getenv("HF_TOKEN");
        return new HuggingFace(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20))
                .build(), endpoint == null ? DEFAULT_ENDPOINT : URI.create(endpoint),
                token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip()));
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * The files of {@code repo} that make a model folder: its configs and tokenizer, and each graph
     * in the first of {@code preference}'s variants the repository has (with its external-data files).
     */
    public List<RemoteFile> files(Repo repo, List<Variant> preference) {
        List<Listed> listed = list(repo);
        Map<String, Listed> byPath = new LinkedHashMap<>();
        listed.forEach(file -> byPath.put(file.path(), file));
        List<Listed> chosen = new ArrayList<>();
        for (String config : CONFIGS) {
            Optional.ofNullable(byPath.get(config)).ifPresent(chosen::add);
        }
        boolean anyGraph = false;
        for (String graph : GRAPHS) {
            for (Variant variant : preference) {
                String onnx = "onnx/" + variant.fileName(graph);
                if (byPath.containsKey(onnx)) {
                    anyGraph = true;
                    for (Listed file : listed) {
                        // The graph and its external data: NAME.onnx_data, NAME.onnx_data_1, …
                        if (file.path().equals(onnx) || file.path().startsWith(onnx + "_data")) {
                            chosen.add(file);
                        }
                    }
                    break;
                }
            }
        }
        if (!anyGraph) {
            throw new AppException(repo + " has no ONNX model Kestrel can run (onnx/model*.onnx or onnx/decoder_model_merged*.onnx in "
                    + "one of the variants " + String.join(", ", preference.stream().map(Variant::label).toList())
                    + "); Kestrel runs models in the onnx-community layout");
        }
        return chosen.stream().map(file -> new RemoteFile(file.path(), fileUrl(repo, file.path()), file.size(), file.checksum())).toList();
    }

    URI fileUrl(Repo repo, String path) {
        return URI.create(endpoint + "/" + repo.id() + "/resolve/" + encode(repo.revision()) + "/" + path);
    }

    /** Every file in the repository, from the Hub's tree API (following its pages, as large repositories have). */
    List<Listed> list(Repo repo) {
        List<Listed> files = new ArrayList<>();
        Optional<URI> page = Optional.of(URI.create(endpoint + "/api/models/" + repo.id() + "/tree/" + encode(repo.revision())
                + "?recursive=true"));
        for (int pages = 0; page.isPresent() && pages < 100; pages++) {
            page = listPage(repo, page.get(), files);
        }
        return files;
    }

    private Optional<URI> listPage(Repo repo, URI url, List<Listed> into) {
        Downloader.mustBeAllowed(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AppException("cannot reach " + endpoint.getHost() + " to list " + repo + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "; is this machine online?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        }
        if (response.statusCode() == 404) {
            throw new AppException(endpoint.getHost() + " has no model " + repo + " (check the name and the revision)");
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new AppException(endpoint.getHost() + " refused to list " + repo + " (HTTP " + response.statusCode() + "); a gated or "
                    + "private model needs HF_TOKEN set to an access token");
        }
        if (response.statusCode() != 200) {
            throw new AppException(endpoint.getHost() + " answered HTTP " + response.statusCode() + " when listing " + repo);
        }
        try {
            for (JsonNode entry : JSON.readTree(response.body())) {
                if (!"file".equals(entry.path("type").asText())) {
                    continue;
                }
                JsonNode lfs = entry.path("lfs");
                Optional<Checksum> checksum = lfs.hasNonNull("oid") ? Optional.of(Checksum.sha256(lfs.get("oid").asText()))
                        : entry.hasNonNull("oid") ? Optional.of(Checksum.gitBlob(entry.get("oid").asText())) : Optional.empty();
                into.add(new Listed(entry.get("path").asText(), entry.path("size").asLong(-1), checksum));
            }
        } catch (IOException | RuntimeException e) {
            throw new AppException(endpoint.getHost() + " sent a file list for " + repo + " that Kestrel cannot read: " + e.getMessage());
        }
        // The next page, if any: Link: <https://…>; rel="next"
        return response.headers().firstValue("Link").flatMap(link -> {
            Matcher next = NEXT_PAGE.matcher(link);
            return next.find() ? Optional.of(url.resolve(next.group(1))) : Optional.empty();
        });
    }

    private static final Pattern NEXT_PAGE = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

    private static String encode(String revision) {
        return URLEncoder.encode(revision, StandardCharsets.UTF_8);
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
