package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.app.AppException;
import dev.kestrel.inference.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** stdin: JSON Lines of id arrays; stdout: one JSON string per line, special tokens kept. */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = "Reads JSON arrays of token ids from stdin, one a line, and prints their text as JSON strings.")
final class DetokenizeCommand implements Callable<Integer> {

    @ParentCommand
    KestrelCli cli;

    @Option(names = "--tokenizer", required = true, paramLabel = "PATH", description = "A tokenizer.json, or a folder holding one.")
    Path tokenizerPath;

    @Override
    public Integer call() {
        cli.paths();
        PrintWriter out = cli.spec.commandLine().getOut();
        try (Tokenizer tokenizer = Tokenizer.load(tokenizerPath)) {
            JsonLines.read(cli.in, "stdin", (value, line) -> {
                out.println(JsonLines.write(tokenizer.decode(ids(value, line))));
                out.flush();
            });
        }
        return 0;
    }

    private static int[] ids(JsonNode value, int line) {
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
        return ids;
    }
}
