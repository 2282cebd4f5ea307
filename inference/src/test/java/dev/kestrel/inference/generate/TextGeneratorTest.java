package dev.kestrel.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.ModelFolderException;
import dev.kestrel.inference.TinyDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java engine against PyTorch's greedy run of the same weights (models/fixtures/tiny-decoder/reference.json). */
class TextGeneratorTest {

    static LanguageModel model;
    static LogitsProbe probe;
    static JsonNode reference;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(TinyDecoder.folder(), EngineOptions.DEFAULT);
        probe = LogitsProbe.of(model);
        reference = TinyDecoder.reference();
    }

    @AfterAll
    static void close() {
        probe.close();
        model.close();
    }

    @Test
    void greedyTokensAndLogitsMatchPyTorch() {
        int[] prompt = TinyDecoder.ints(reference.get("prompt_ids"));
        GenerationResult result = model.generate(
                new GenerationRequest(prompt, Sampling.GREEDY, reference.get("max_new_tokens").asInt()), event -> {});

        assertThat(result.tokens()).containsExactlyElementsOf(
                java.util.Arrays.stream(TinyDecoder.ints(reference.get("greedy_tokens"))).boxed().toList());
        assertThat(result.text()).isEqualTo(reference.get("greedy_text").asText());
        assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(result.usage()).isEqualTo(new Usage(prompt.length, 0, 0, 8));
        assertThat(result.device()).isEqualTo("CPUExecutionProvider");

        // Each step's logits: the prefill of the prompt plus the tokens generated before it.
        JsonNode steps = reference.get("step_logits");
        int[] sequence = prompt;
        for (int step = 0; step < steps.size(); step++) {
            float[] expected = TinyDecoder.floats(steps.get(step));
            float[] actual = probe.prefill(sequence, 128);
            sequence = append(sequence, result.tokens().get(step));
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("step %d logit %d", step, i).isCloseTo(expected[i], within(2e-4f));
            }
        }
    }

    @ParameterizedTest(name = "prefill in chunks of {0}")
    @ValueSource(ints = {1, 7, 16, 128})
    void chunkedPrefillGivesTheLogitsOfOneShotPrefill(int chunk) {
        float[] expected = TinyDecoder.floats(reference.get("long_prompt_last_logits"));
        float[] actual = probe.prefill(TinyDecoder.ints(reference.get("long_prompt_ids")), chunk);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(2e-4f));
        }
    }

    @Test
    void streamsTokensAndTextInOrderThenFinishes() {
        List<GenerationEvent> events = new ArrayList<>();
        GenerationResult result = model.generate(
                new GenerationRequest(model.tokenizer().encode("hello"), Sampling.GREEDY, 8), events::add);

        assertThat(events.getFirst()).isInstanceOf(GenerationEvent.PrefillDone.class);
        assertThat(events.getLast()).isEqualTo(new GenerationEvent.Finished(result));
        assertThat(events).filteredOn(GenerationEvent.Token.class::isInstance).hasSize(result.tokens().size());
        String streamed = events.stream().filter(GenerationEvent.Text.class::isInstance)
                .map(e -> ((GenerationEvent.Text) e).delta()).reduce("", String::concat);
        assertThat(streamed).isEqualTo(result.text());
        assertThat(result.timings().ttftMs()).isGreaterThanOrEqualTo(result.timings().prefillMs());
    }

    @Test
    void samplingWithASeedIsRepeatable() {
        Sampling sampling = new Sampling(1.0, 20, 0.9, 42);
        int[] prompt = model.tokenizer().encode("Kestrel");
        GenerationResult first = model.generate(new GenerationRequest(prompt, sampling, 12), e -> {});
        GenerationResult second = model.generate(new GenerationRequest(prompt, sampling, 12), e -> {});
        assertThat(first.tokens()).isEqualTo(second.tokens());
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedWithItsLength() {
        int[] prompt = new int[model.contextLength() + 5];
        assertThatThrownBy(() -> model.generate(new GenerationRequest(prompt, Sampling.GREEDY, 4), e -> {}))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("the prompt is 517 tokens long but this model reads at most 512");
    }

    @Test
    void theReplyStopsAtTheEndOfTheContext() {
        int[] prompt = new int[model.contextLength() - 3];
        java.util.Arrays.fill(prompt, model.tokenizer().encode("the")[0]);
        GenerationResult result = model.generate(new GenerationRequest(prompt, Sampling.GREEDY, 100), e -> {});
        assertThat(result.tokens().size()).isLessThanOrEqualTo(3);
    }

    @Test
    void cancellationStopsAfterTheCurrentStep() {
        Cancellation cancellation = new Cancellation();
        GenerationRequest request = new GenerationRequest(model.tokenizer().encode("hello"), Sampling.GREEDY, 100)
                .withCancellation(cancellation);
        GenerationResult result = model.generate(request, event -> {
            if (event instanceof GenerationEvent.Token token) {
                cancellation.cancel();
            }
        });
        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(result.tokens()).hasSize(1);
    }

    @Test
    void aCorruptGraphIsAModelFolderProblem(@TempDir Path dir) throws IOException {
        Path copy = TinyDecoder.copyTo(dir.resolve("copy"));
        Path graph = copy.resolve("onnx/model.onnx");
        byte[] bytes = Files.readAllBytes(graph);
        Files.write(graph, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertThatThrownBy(() -> LanguageModel.load(copy, EngineOptions.DEFAULT))
                .isInstanceOf(ModelFolderException.class)
                .hasMessageStartingWith("model file '" + graph + "' is not a valid ONNX model");
    }

    @Test
    void aGraphThatDoesNotMatchTheConfigIsNamed(@TempDir Path dir) throws IOException {
        Path copy = TinyDecoder.copyTo(dir.resolve("copy"));
        Path config = copy.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
        assertThatThrownBy(() -> LanguageModel.load(copy, EngineOptions.DEFAULT))
                .isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("does not match config.json (3 layers): it lacks input past_key_values.2.key");
    }

    private static int[] append(int[] ids, int id) {
        int[] longer = java.util.Arrays.copyOf(ids, ids.length + 1);
        longer[ids.length] = id;
        return longer;
    }
}
