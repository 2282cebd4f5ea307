package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.app.AppException;
import dev.kestrel.inference.prompt.ChatTemplate;
import dev.kestrel.inference.prompt.JsonValues;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kestrel prompt}: the exact text fed to the model for the next assistant turn, as
 * transformers' {@code apply_chat_template(messages, tokenize=False, add_generation_prompt=True,
 * enable_thinking=...)} renders it. Nothing is appended.
 */
@Command(name = "prompt", mixinStandardHelpOptions = true,
        description = "Reads a JSON array of messages from stdin and prints the model's chat template rendered for them.")
final class PromptCommand implements Callable<Integer> {

    @ParentCommand
    KestrelCli cli;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A model folder; tokenizer_config.json (or chat_template.jinja / .json) is enough.")
    Path model;

    @Option(names = "--no-think", description = "Render with enable_thinking=False.")
    boolean noThink;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws IOException {
        cli.paths();
        if (!Files.isDirectory(model)) {
            throw new AppException("model folder '" + model + "' does not exist");
        }
        ChatTemplate template = ChatTemplate.find(model).orElseThrow(() -> new AppException("model folder '" + model
                + "' has no chat template (tokenizer_config.json \"chat_template\", chat_template.jinja or chat_template.json)"));
        String input = new String(cli.in.readAllBytes(), StandardCharsets.UTF_8);
        JsonNode messages = JsonLines.parse(input.strip(), "stdin", 1);
        if (!messages.isArray()) {
            throw new AppException("stdin is not a JSON array of messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).isObject() || !messages.get(i).path("role").isTextual()) {
                throw new AppException("message " + (i + 1) + " on stdin has no \"role\" string");
            }
        }
        String text = template.renderMessages((List<Map<String, Object>>) JsonValues.toJava(messages), true,
                Map.of("enable_thinking", !noThink));
        PrintWriter out = cli.spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return 0;
    }
}
