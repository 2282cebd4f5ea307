package dev.kestrel.ui.chat;

import dev.kestrel.app.BundledModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The tiny Qwen3 fixture with its end-of-reply token moved to {@code <tool_call>}, which it never
 * writes: its greedy replies run to the reply limit (1024 tokens, a second or two), long enough to
 * stop one mid-stream without racing the model. Everything else is the fixture as committed.
 */
public final class TalkativeModel {

    static final Path QWEN3 = BundledModels.root().orElseThrow().resolve("fixtures/tiny-qwen3");
    static final String NEVER_WRITTEN = "<tool_call>";
    static final int NEVER_WRITTEN_ID = 463;

    private TalkativeModel() {}

    /** Makes (or makes again) the folder under {@code parent} and returns it. */
    public static Path in(Path parent) {
        Path folder = parent.resolve("talkative-qwen3");
        try {
            Files.createDirectories(folder.resolve("onnx"));
            Files.copy(QWEN3.resolve("onnx/model.onnx"), folder.resolve("onnx/model.onnx"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(QWEN3.resolve("tokenizer.json"), folder.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            for (String name : List.of("config.json", "generation_config.json", "tokenizer_config.json")) {
                String original = Files.readString(QWEN3.resolve(name));
                String text = original
                        .replace("\"eos_token_id\": 462,", "\"eos_token_id\": " + NEVER_WRITTEN_ID + ",")
                        .replaceAll("\"eos_token_id\": \\[[^]]*]", "\"eos_token_id\": [" + NEVER_WRITTEN_ID + "]")
                        .replace("\"eos_token\": \"<|im_end|>\"", "\"eos_token\": \"" + NEVER_WRITTEN + "\"")
                        .replace("\"do_sample\": true", "\"do_sample\": false");
                if (text.equals(original)) {
                    throw new IllegalStateException("the fixture's " + name + " changed: its end-of-reply token was not moved");
                }
                Files.writeString(folder.resolve(name), text);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
