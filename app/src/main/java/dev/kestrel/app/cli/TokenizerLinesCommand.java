package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.inference.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** A command that loads a tokenizer and answers each JSON line of stdin with one JSON line on stdout. */
abstract class TokenizerLinesCommand implements Callable<Integer> {

    @ParentCommand
    KestrelCli cli;

    @Option(names = "--tokenizer", required = true, paramLabel = "PATH", description = "A tokenizer.json, or a folder holding one.")
    Path tokenizerPath;

    /** The JSON value printed for one input line. */
    abstract Object answer(Tokenizer tokenizer, JsonNode value, int line);

    @Override
    public Integer call() {
        cli.paths();
        PrintWriter out = cli.spec.commandLine().getOut();
        try (Tokenizer tokenizer = Tokenizer.load(tokenizerPath)) {
            JsonLines.read(cli.in, "stdin", (value, line) -> {
                out.println(JsonLines.write(answer(tokenizer, value, line)));
                out.flush();
            });
        }
        return 0;
    }
}
