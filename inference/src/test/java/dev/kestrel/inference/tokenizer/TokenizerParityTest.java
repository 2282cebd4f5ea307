package dev.kestrel.inference.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real Qwen3 and Llama 3 tokenizers (models/fixtures/tokenizers) against transformers.js on the
 * same files (parity/tokenizers/make_golden.mjs): identical ids for every corpus string (CJK, emoji
 * sequences, code, whitespace runs, decomposed accents, special tokens in the text), and the same
 * text back from decode.
 */
class TokenizerParityTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen3", "llama3"})
    void idsAndTextMatchTransformersJs(String name) throws IOException {
        List<JsonNode> golden = golden(name);
        assertThat(golden).hasSizeGreaterThanOrEqualTo(150);
        List<String> mismatches = new ArrayList<>();
        try (Tokenizer tokenizer = Tokenizer.load(unpack(name))) {
            for (JsonNode line : golden) {
                String text = line.get("text").asText();
                int[] expected = ints(line.get("ids"));
                int[] actual = tokenizer.encode(text);
                if (!Arrays.equals(expected, actual)) {
                    mismatches.add("encode " + JSON.writeValueAsString(text) + ": expected " + Arrays.toString(expected)
                            + " but was " + Arrays.toString(actual));
                }
                String decoded = tokenizer.decode(expected);
                if (!decoded.equals(line.get("decoded").asText())) {
                    mismatches.add("decode " + JSON.writeValueAsString(text) + ": expected "
                            + JSON.writeValueAsString(line.get("decoded").asText()) + " but was " + JSON.writeValueAsString(decoded));
                }
            }
        }
        assertThat(mismatches).as("%d strings", golden.size()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen3", "llama3"})
    void streamingNeverBreaksACharacterAndAddsUpToTheWholeDecode(String name) throws IOException {
        List<String> mismatches = new ArrayList<>();
        try (Tokenizer tokenizer = Tokenizer.load(unpack(name))) {
            for (JsonNode line : golden(name)) {
                String whole = line.get("decoded").asText();
                TokenStream stream = new TokenStream(tokenizer);
                StringBuilder streamed = new StringBuilder();
                for (int id : ints(line.get("ids"))) {
                    String delta = stream.push(id);
                    if (delta.contains("\uFFFD") && !whole.contains("\uFFFD")) {
                        mismatches.add("broken character streamed for " + JSON.writeValueAsString(line.get("text").asText()));
                    }
                    streamed.append(delta);
                }
                streamed.append(stream.flush());
                if (!streamed.toString().equals(whole)) {
                    mismatches.add("streamed " + JSON.writeValueAsString(streamed.toString()) + " but the whole decode is "
                            + JSON.writeValueAsString(whole));
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static List<JsonNode> golden(String name) throws IOException {
        try (InputStream in = TokenizerParityTest.class.getResourceAsStream("/golden/tokenizers/" + name + ".jsonl")) {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        }
    }

    /** The fixture's gzipped tokenizer.json, unpacked where the Tokenizer can read it. */
    private Path unpack(String name) {
        Path fixtures = Path.of(System.getProperty("kestrel.root", "..")).resolve("models/fixtures/tokenizers").resolve(name);
        Path file = dir.resolve(name + "-tokenizer.json");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(fixtures.resolve("tokenizer.json.gz")))) {
            Files.copy(in, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = array.get(i).asInt();
        }
        return ids;
    }
}
