package dev.kestrel.app.cli;

import dev.kestrel.app.AppException;
import dev.kestrel.inference.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** stdin: JSON Lines of strings; stdout: one JSON array of ids per line (encode, no special tokens added). */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Reads JSON strings from stdin, one a line, and prints their token ids as JSON arrays.")
final class TokenizeCommand implements Callable<Integer> {

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
                if (!value.isTextual()) {
                    throw new AppException("stdin line " + line + " is not a JSON string");
                }
                out.println(JsonLines.write(tokenizer.encode(value.asText())));
                out.flush();
            });
        }
        return 0;
    }
}
