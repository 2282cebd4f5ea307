package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.app.AppException;
import dev.kestrel.inference.tokenizer.Tokenizer;
import picocli.CommandLine.Command;

/** stdin: JSON Lines of strings; stdout: one JSON array of ids per line (encode, no special tokens added). */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Reads JSON strings from stdin, one a line, and prints their token ids as JSON arrays.")
final class TokenizeCommand extends TokenizerLinesCommand {

    @Override
    Object answer(Tokenizer tokenizer, JsonNode value, int line) {
        if (!value.isTextual()) {
            throw new AppException("stdin line " + line + " is not a JSON string");
        }
        return tokenizer.encode(value.asText());
    }
}
