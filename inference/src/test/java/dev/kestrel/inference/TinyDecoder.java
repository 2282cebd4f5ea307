package dev.kestrel.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * models/fixtures/tiny-decoder, made by make_tiny_decoder.py, and its PyTorch reference.json.
 * The build passes the repository root as the {@code kestrel.root} system property.
 */
public final class TinyDecoder {

    private TinyDecoder() {}

    public static Path folder() {
        return fixture("tiny-decoder");
    }

    /** A folder of models/fixtures that a committed script made, with its reference.json. */
    public static Path fixture(String name) {
        Path folder = Path.of(System.getProperty("kestrel.root", "..")).resolve("models/fixtures").resolve(name);
        if (!Files.isRegularFile(folder.resolve("reference.json"))) {
            throw new IllegalStateException("the " + name + " fixture is missing at " + folder.toAbsolutePath());
        }
        return folder;
    }

    public static JsonNode reference() {
        return reference(folder());
    }

    public static JsonNode reference(Path fixture) {
        try {
            return new ObjectMapper().readTree(fixture.resolve("reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(JsonNode array) {
        return Stream.of(array).flatMap(a -> java.util.stream.StreamSupport.stream(a.spliterator(), false))
                .mapToInt(JsonNode::asInt).toArray();
    }

    public static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    /** A copy of the fixture that a test may break. */
    public static Path copyTo(Path target) {
        try (Stream<Path> files = Files.walk(folder())) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path destination = target.resolve(folder().relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
