package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.app.AppException;
import dev.kestrel.inference.tokenizer.Tokenizer;
import picocli.CommandLine.Command;

/** stdin: JSON Lines of id arrays; stdout: one JSON string per line, special tokens kept. */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = "Reads JSON arrays of token ids from stdin, one a line, and prints their text as JSON strings.")
final class DetokenizeCommand extends TokenizerLinesCommand {

    @Override
    Object answer(Tokenizer tokenizer, JsonNode value, int line) {
        if (!value.isArray()) {
            throw new AppException("stdin line " + line + " is not a JSON array of token ids");
        }
        int[] ids = new int[value.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = value.get(i);
            if (!id.canConvertToInt() || id.asInt() < 0) {
                throw new AppException("stdin line " + line + " has " + id + " where a token id belongs");
            }
            ids[i] = id.asInt();
        }
        return tokenizer.decode(ids);
    }
}
