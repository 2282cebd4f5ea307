package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.app.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AskCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    Path model() {
        return BundledModels.model("fixtures/tiny-decoder");
    }

    @Test
    void jsonAnswerHasTheGreedyTokensOfThePyTorchReference() throws IOException {
        JsonNode reference = JSON.readTree(model().resolve("reference.json").toFile());
        CliRun run = CliRun.of("ask", "--home", home.toString(), "--model", model().toString(),
                "--greedy", "--max-tokens", "8", "--json", "hello");

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out().lines()).hasSize(1);
        JsonNode answer = JSON.readTree(run.out());
        assertThat(answer.get("tokens")).isEqualTo(reference.get("greedy_tokens"));
        assertThat(answer.get("text").asText()).isEqualTo(reference.get("greedy_text").asText());
        assertThat(answer.get("finish_reason").asText()).isEqualTo("length");
        assertThat(answer.get("thinking").asText()).isEmpty();
        assertThat(answer.get("usage").get("prompt_tokens").asInt()).isEqualTo(reference.get("prompt_ids").size());
        assertThat(answer.get("usage").get("completion_tokens").asInt()).isEqualTo(8);
        assertThat(answer.get("device").asText()).isEqualTo("CPUExecutionProvider");
        assertThat(answer.fieldNames()).toIterable().containsExactly("text", "thinking", "tokens", "finish_reason", "usage",
                "timings_ms", "decode_tokens_per_s", "device");
        assertThat(answer.get("timings_ms").fieldNames()).toIterable()
                .containsExactly("load", "image_encode", "prefill", "ttft", "decode");
        assertThat(answer.get("timings_ms").get("load").asDouble()).isPositive();
    }

    @Test
    void withoutJsonTheAnswerIsStreamedAsText() {
        CliRun run = CliRun.of("ask", "--home", home.toString(), "--model", model().toString(), "--greedy", "--max-tokens", "40", "hello");
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(", I am Kestrel, an offline assistant that sees and thinks.\n");
    }

    @Test
    void theBundledModelIsUsedWhenNoneIsChosenAndLogsGoUnderHome() {
        CliRun run = CliRun.of("ask", "--home", home.toString(), "--model", model().toString(), "--greedy", "--max-tokens", "2", "--json", "hello");
        assertThat(run.status()).isZero();
        assertThat(home.resolve("logs")).isDirectory();
    }

    @Test
    void aMissingModelFolderIsOneLineAndExitTwo() {
        assertBadInput(CliRun.of("ask", "--home", home.toString(), "--model", home.resolve("nope").toString(), "hi"),
                "kestrel: model folder '" + home.resolve("nope") + "' does not exist");
    }

    @Test
    void aFolderWithoutTokenizerJsonIsOneLineAndExitTwo() throws IOException {
        Path copy = copyModel("no-tokenizer");
        Files.delete(copy.resolve("tokenizer.json"));
        assertBadInput(CliRun.of("ask", "--home", home.toString(), "--model", copy.toString(), "hi"),
                "kestrel: model folder '" + copy + "' is incomplete: it has no tokenizer.json");
    }

    @Test
    void aCorruptOnnxFileIsOneLineAndExitTwo() throws IOException {
        Path copy = copyModel("corrupt");
        Files.write(copy.resolve("onnx/model.onnx"), "this is not a protobuf".getBytes());
        CliRun run = CliRun.of("ask", "--home", home.toString(), "--model", copy.toString(), "hi");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("kestrel: model file '" + copy.resolve("onnx/model.onnx") + "' is not a valid ONNX model");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badUsageIsOneLineAndExitTwo() {
        assertThat(CliRun.of("ask", "--greedy", "--temperature", "0.7", "hi").err())
                .isEqualTo("kestrel: --greedy excludes --temperature, --top-p, --top-k and --min-p (see 'kestrel ask --help')\n");
        assertThat(CliRun.of("ask", "--greedy").status()).isEqualTo(2);
        assertThat(CliRun.of("ask", "--max-tokens", "lots", "hi").err()).startsWith("kestrel: Invalid value for option '--max-tokens'");
        assertThat(CliRun.of("ask", "--no-think", "--think-budget", "4", "hi").status()).isEqualTo(2);
        assertThat(CliRun.of("ask", "--variant", "q9", "--home", home.toString(), "hi").err())
                .startsWith("kestrel: unknown --variant 'q9'; use one of fp32, fp16, q4");
    }

    @Test
    void aDeviceThatIsNotHereFallsBackToTheCpuAndSaysWhy() throws IOException {
        CliRun run = CliRun.of("ask", "--home", home.toString(), "--model", model().toString(), "--device", "npu", "--greedy", "--max-tokens", "2", "--json", "hello");
        assertThat(run.status()).isZero();
        assertThat(run.err()).startsWith("kestrel: note: no npu execution provider was found");
        assertThat(JSON.readTree(run.out()).get("device").asText()).isEqualTo("CPUExecutionProvider");
    }

    @Test
    void devicesListsWhatIsFoundAndWhatAutoWouldUse() throws IOException {
        CliRun run = CliRun.of("devices", "--home", home.toString(), "--json");
        assertThat(run.status()).isZero();
        JsonNode devices = JSON.readTree(run.out());
        assertThat(devices.get("devices").toString()).contains("CPUExecutionProvider");
        assertThat(devices.get("auto").get("provider").asText()).isEqualTo("CPUExecutionProvider");
        assertThat(devices.get("plugin_folders").toString()).contains(home.resolve("providers").toString().replace("\\", "\\\\"));
        assertThat(devices.get("auto").get("variants").get(0).asText()).isEqualTo("q4");
        assertThat(CliRun.of("devices", "--home", home.toString()).out()).contains("--device auto uses: CPUExecutionProvider (cpu)")
                .contains("Weights it prefers, best first: q4, fp32, quantized,");
    }

    @Test
    void promptPrintsTheTemplateRenderedExactly() {
        Path qwen3 = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-qwen3");
        CliRun run = CliRun.withInput("[{\"role\": \"user\", \"content\": \"hi\"}]", "prompt", "--home", home.toString(),
                "--model", qwen3.toString(), "--no-think");
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
        CliRun thinking = CliRun.withInput("[{\"role\": \"user\", \"content\": \"hi\"}]", "prompt", "--home", home.toString(),
                "--model", qwen3.toString());
        assertThat(thinking.out()).isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
        assertBadInput(CliRun.withInput("[]", "prompt", "--home", home.toString(), "--model", model().toString()),
                "kestrel: model folder '" + model() + "' has no chat template (tokenizer_config.json \"chat_template\","
                        + " chat_template.jinja or chat_template.json)");
        assertBadInput(CliRun.withInput("{\"role\": \"user\"}", "prompt", "--home", home.toString(), "--model", qwen3.toString()),
                "kestrel: stdin is not a JSON array of messages");
    }

    @Test
    void aThinkingModelAnswersWithItsThinkingApart() throws IOException {
        Path qwen3 = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-qwen3");
        JsonNode answer = JSON.readTree(CliRun.of("ask", "--home", home.toString(), "--model", qwen3.toString(), "--variant", "fp32",
                "--greedy", "--json", "hello").out());
        assertThat(answer.get("thinking").asText()).isEqualTo("The user says hello. I greet them back.");
        assertThat(answer.get("text").asText()).isEqualTo("Hello! I am a tiny Qwen3-style test model.");
        assertThat(answer.get("usage").get("thinking_tokens").asInt()).isPositive();
        assertThat(answer.get("finish_reason").asText()).isEqualTo("stop");

        JsonNode direct = JSON.readTree(CliRun.of("ask", "--home", home.toString(), "--model", qwen3.toString(), "--variant", "fp32",
                "--greedy", "--think-budget", "0", "--json", "hello").out());
        assertThat(direct.get("thinking").asText()).isEmpty();
        assertThat(direct.get("usage").get("thinking_tokens").asInt()).isZero();

        String streamed = CliRun.of("ask", "--home", home.toString(), "--model", qwen3.toString(), "--variant", "fp32", "--greedy",
                "hello").out();
        assertThat(streamed).isEqualTo("<think>\nThe user says hello. I greet them back.\n</think>\n\nHello! I am a tiny Qwen3-style"
                + " test model.\n");
    }

    @Test
    void anImageForATextOnlyModelIsRefused() {
        assertBadInput(CliRun.of("ask", "--home", home.toString(), "--model", model().toString(), "--image", "cat.png", "what is this?"),
                "kestrel: model 'tiny-decoder' reads text only and cannot take images (cat.png)");
    }

    @Test
    void aPromptLongerThanTheContextSaysSo() {
        CliRun run = CliRun.of("ask", "--home", home.toString(), "--model", model().toString(), "hello ".repeat(600));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).matches("kestrel: the prompt is 1200 tokens long but this model reads at most 512 "
                + "\\(prompt and reply together\\); shorten it or start a new conversation\n");
    }

    @Test
    void aBatchAnswersEveryLineAndReportsFailuresInPlace() throws IOException {
        Path batch = Files.writeString(home.resolve("requests.jsonl"), """
                {"prompt": "hello"}
                {"prompt": "hello", "images": ["shapes.png"]}

                {"no prompt": true}
                {"prompt": "Hi", "think_budget": 0}
                """);
        CliRun run = CliRun.of("ask", "--home", home.toString(), "--model", model().toString(), "--greedy", "--max-tokens", "8", "--batch", batch.toString());

        assertThat(run.status()).isZero();
        List<JsonNode> lines = run.out().lines().map(AskCommandTest::parse).toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).get("text").asText()).isEqualTo(", I am Kestrel, an o");
        assertThat(lines.get(1).get("error").asText()).contains("reads text only").contains("shapes.png");
        assertThat(lines.get(2).get("error").asText()).isEqualTo("line 4 has no \"prompt\" string");
        assertThat(lines.get(3).has("tokens")).isTrue();
    }

    @Test
    void aMissingBatchFileIsBadInput() {
        assertBadInput(CliRun.of("ask", "--home", home.toString(), "--batch", home.resolve("none.jsonl").toString()),
                "kestrel: batch file '" + home.resolve("none.jsonl") + "' does not exist");
    }

    private static void assertBadInput(CliRun run, String line) {
        assertThat(run.err()).isEqualTo(line + "\n");
        assertThat(run.status()).isEqualTo(2);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    private Path copyModel(String name) throws IOException {
        Path target = home.resolve(name);
        try (Stream<Path> files = Files.walk(model())) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path destination = target.resolve(model().relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
        }
        return target;
    }
}
