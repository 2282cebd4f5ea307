package dev.kestrel.inference.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kestrel.inference.ModelFolderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face tokenizer.json, run by the Rust {@code tokenizers} library through DJL, with the
 * semantics of {@code tokenizer.encode(text, add_special_tokens=False)}: no BOS/EOS added, no
 * truncation, no padding, and special tokens written in the text recognised as special tokens.
 * Thread-safe; close it to free the native tokenizer.
 */
public final class Tokenizer implements AutoCloseable {

    static {
        // DJL phones home from EC2 unless told it is offline; Kestrel never talks to the network.
        System.setProperty("offline", "true");
    }

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> addedTokens;
    private final Set<Integer> specialIds;

    private Tokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> addedTokens, Set<Integer> specialIds) {
        this.tokenizer = tokenizer;
        this.addedTokens = addedTokens;
        this.specialIds = specialIds;
    }

    /** Loads a tokenizer.json, or the tokenizer.json inside a folder. */
    public static Tokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new ModelFolderException("tokenizer file '" + file + "' does not exist");
        }
        Map<String, Integer> added = new HashMap<>();
        Set<Integer> special = new HashSet<>();
        readAddedTokens(file, added, special);
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "false",
                    "truncation", "false",
                    "padding", "false"));
            return new Tokenizer(tokenizer, Map.copyOf(added), Set.copyOf(special));
        } catch (IOException e) {
            throw new ModelFolderException("cannot read tokenizer file '" + file + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ModelFolderException("tokenizer file '" + file + "' is not a valid Hugging Face tokenizer.json: "
                    + firstLine(e.getMessage()), e);
        }
    }

    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text).getIds();
        int[] result = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            result[i] = Math.toIntExact(ids[i]);
        }
        return result;
    }

    /** Decodes ids to text, special tokens kept. */
    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /** Decodes {@code ids[from, to)} to text, special tokens kept. */
    public String decode(int[] ids, int from, int to) {
        long[] longs = new long[to - from];
        for (int i = from; i < to; i++) {
            longs[i - from] = ids[i];
        }
        return tokenizer.decode(longs, false);
    }

    /** The id of an added token (such as {@code <|im_end|>}) or of a text that is exactly one token. */
    public OptionalInt tokenId(String token) {
        Integer added = addedTokens.get(token);
        if (added != null) {
            return OptionalInt.of(added);
        }
        int[] ids = encode(token);
        return ids.length == 1 ? OptionalInt.of(ids[0]) : OptionalInt.empty();
    }

    public boolean isSpecial(int id) {
        return specialIds.contains(id);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** Streams through tokenizer.json (which may be megabytes) reading only "added_tokens". */
    private static void readAddedTokens(Path file, Map<String, Integer> added, Set<Integer> special) {
        try (JsonParser parser = new JsonFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ModelFolderException("tokenizer file '" + file + "' is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (!"added_tokens".equals(field) || parser.currentToken() != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    String content = null;
                    int id = -1;
                    boolean isSpecial = false;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.currentName();
                        parser.nextToken();
                        switch (key) {
                            case "content" -> content = parser.getValueAsString();
                            case "id" -> id = parser.getValueAsInt(-1);
                            case "special" -> isSpecial = parser.getValueAsBoolean();
                            default -> parser.skipChildren();
                        }
                    }
                    if (content != null && id >= 0) {
                        added.put(content, id);
                        if (isSpecial) {
                            special.add(id);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ModelFolderException("tokenizer file '" + file + "' is not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
