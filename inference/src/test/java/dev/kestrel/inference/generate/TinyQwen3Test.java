package dev.kestrel.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.TinyDecoder;
import dev.kestrel.inference.model.ModelFolder;
import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.prompt.ChatMessage;
import dev.kestrel.inference.prompt.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Qwen3-style fixtures (models/fixtures/make_tiny_qwen3.py) against PyTorch: the real Qwen3 chat
 * template, thinking, the text-only and split layouts, 4-bit MatMulNBits weights, chunked prefill.
 */
class TinyQwen3Test {

    static final String GREETING = "Hello! I am a tiny Qwen3-style test model.";

    static LanguageModel text;
    static LanguageModel split;
    static LanguageModel q4;
    static LanguageModel halfIo;
    static JsonNode reference;

    @BeforeAll
    static void load() {
        text = LanguageModel.load(TinyDecoder.fixture("tiny-qwen3"), new EngineOptions(Optional.of(Variant.FP32), 0));
        q4 = LanguageModel.load(TinyDecoder.fixture("tiny-qwen3"), new EngineOptions(Optional.of(Variant.Q4), 0));
        split = LanguageModel.load(TinyDecoder.fixture("tiny-qwen3-split"), EngineOptions.DEFAULT);
        halfIo = LanguageModel.load(TinyDecoder.fixture("tiny-qwen3"), new EngineOptions(Optional.of(Variant.FP16), 0));
        reference = TinyDecoder.reference(TinyDecoder.fixture("tiny-qwen3"));
    }

    @AfterAll
    static void close() {
        text.close();
        q4.close();
        split.close();
        halfIo.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : TinyDecoder.reference(TinyDecoder.fixture("tiny-qwen3")).get("cases")) {
            for (int chunk : new int[] {1, 7, 128}) {
                cases.add(Arguments.of(c.get("name").asText(), chunk));
            }
        }
        return cases.stream();
    }

    @Test
    void theFixturesHaveTheLayoutsTheyStandFor() {
        assertThat(text.folder().layout()).isEqualTo(ModelFolder.Layout.TEXT);
        assertThat(split.folder().layout()).isEqualTo(ModelFolder.Layout.SPLIT);
        assertThat(q4.variant()).isEqualTo(Variant.Q4);
        assertThat(text.canThink()).isTrue();
        assertThat(LanguageModel.load(TinyDecoder.fixture("tiny-qwen3"), EngineOptions.DEFAULT).variant())
                .as("4-bit weights first on the CPU").isEqualTo(Variant.Q4);
    }

    @ParameterizedTest(name = "{0}, prefill chunks of {1}")
    @MethodSource("cases")
    void greedyTokensMatchPyTorchInEveryLayout(String name, int chunk) {
        JsonNode c = find(name);
        ThinkingBudget thinking = c.get("enable_thinking").asBoolean() ? ThinkingBudget.UNLIMITED : ThinkingBudget.OFF;
        PreparedPrompt prompt = text.prompt(messages(c), thinking);

        assertThat(prompt.text()).isEqualTo(c.get("prompt").asText());
        assertThat(prompt.ids()).containsExactly(TinyDecoder.ints(c.get("prompt_ids")));
        int max = reference.get("max_new_tokens").asInt();
        for (LanguageModel model : List.of(text, split)) {
            GenerationRequest request = GenerationRequest.of(prompt, Sampling.GREEDY, max, thinking).withPrefillChunk(chunk);
            assertThat(model.generate(request, e -> {}).tokens()).as(model.folder().name())
                    .containsExactlyElementsOf(boxed(c.get("greedy_tokens")));
        }
        GenerationRequest request = GenerationRequest.of(prompt, Sampling.GREEDY, max, thinking).withPrefillChunk(chunk);
        assertThat(q4.generate(request, e -> {}).tokens()).as("4-bit").containsExactlyElementsOf(boxed(c.get("q4_greedy_tokens")));
        assertThat(halfIo.generate(request, e -> {}).tokens()).as("float16 cache and logits")
                .containsExactlyElementsOf(boxed(c.get("fp16_io_greedy_tokens")));
    }

    @Test
    void thinkingAndAnswerStaySeparate() {
        GenerationResult thought = greedy(List.of(ChatMessage.user("hello")), ThinkingBudget.UNLIMITED, List.of(), new ArrayList<>());
        assertThat(thought.thinking()).isEqualTo("The user says hello. I greet them back.");
        assertThat(thought.text()).isEqualTo(GREETING);
        assertThat(thought.usage().thinkingTokens()).isPositive();
        assertThat(thought.finishReason()).isEqualTo(FinishReason.STOP);

        GenerationResult direct = greedy(List.of(ChatMessage.user("hello")), ThinkingBudget.OFF, List.of(), new ArrayList<>());
        assertThat(direct.thinking()).isEmpty();
        assertThat(direct.text()).isEqualTo(GREETING);
        assertThat(direct.usage().thinkingTokens()).isZero();
    }

    @Test
    void aBudgetForcesTheEndOfThinkingAndTheModelAnswers() {
        List<GenerationEvent> events = new ArrayList<>();
        // The fixture learned, as Qwen3 did, to answer after thinking cut short by the early-stop text (the 4-bit
        // weights are the ones that do it reliably for this budget).
        int budget = 3;
        PreparedPrompt prompt = q4.prompt(List.of(ChatMessage.user("Think, but be quick.")), ThinkingBudget.of(budget));
        GenerationResult result = q4.generate(GenerationRequest.of(prompt, Sampling.GREEDY, 120, ThinkingBudget.of(budget)), events::add);

        ThinkingTokens markers = ThinkingTokens.of(text.tokenizer()).orElseThrow();
        assertThat(events).filteredOn(GenerationEvent.ThinkingEnded.class::isInstance).first()
                .isEqualTo(new GenerationEvent.ThinkingEnded(budget + markers.earlyStop().length, true));
        assertThat(result.thinking()).startsWith("Let me").endsWith(ThinkingTokens.EARLY_STOP_TEXT);
        // After the think-start token: the budget's worth of the model's own, then the forced early stop, end marker, blank line.
        int start = result.tokens().indexOf(markers.start());
        List<Integer> forced = result.tokens().subList(start + 1 + budget, start + 1 + budget + markers.forcedEnd(true).length);
        assertThat(forced).containsExactlyElementsOf(Arrays.stream(markers.forcedEnd(true)).boxed().toList());
        assertThat(result.text()).isEqualTo("Done.");
        assertThat(result.usage().thinkingTokens()).isEqualTo(budget + markers.earlyStop().length);
        assertThat(events.stream().map(e -> e.getClass().getSimpleName()).distinct().toList())
                .containsSubsequence("PrefillDone", "ThinkingStarted", "Thinking", "ThinkingEnded", "Text", "Finished");
        String streamedThinking = events.stream().filter(GenerationEvent.Thinking.class::isInstance)
                .map(e -> ((GenerationEvent.Thinking) e).delta()).reduce("", String::concat);
        assertThat(streamedThinking).isEqualTo(result.thinking());
    }

    @Test
    void aLongThoughtIsCutAtItsBudgetAndCannotThinkAgainAfterIt() {
        List<GenerationEvent> events = new ArrayList<>();
        GenerationResult result = greedy(List.of(ChatMessage.user("Think, but be quick.")), ThinkingBudget.of(3), List.of(), events);
        ThinkingTokens markers = ThinkingTokens.of(text.tokenizer()).orElseThrow();
        List<GenerationEvent.ThinkingEnded> ends = events.stream()
                .filter(GenerationEvent.ThinkingEnded.class::isInstance).map(GenerationEvent.ThinkingEnded.class::cast).toList();
        assertThat(ends).allMatch(GenerationEvent.ThinkingEnded::forced);
        assertThat(result.thinking()).startsWith("Let me").contains(ThinkingTokens.EARLY_STOP_TEXT);
        // This fp32 model opens a second thinking block after the forced end; it is closed at once.
        int again = result.tokens().lastIndexOf(markers.start());
        if (again > result.tokens().indexOf(markers.start())) {
            assertThat(result.tokens().get(again + 1)).isEqualTo(markers.end());
        }
    }

    @Test
    void budgetZeroIsNonThinkingMode() {
        PreparedPrompt prompt = text.prompt(List.of(ChatMessage.user("hello")), ThinkingBudget.OFF);
        assertThat(prompt.text()).endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n");
        assertThat(prompt.startsInThinking()).isFalse();
    }

    @Test
    void stopStringsEndTheAnswerAndAreNeverStreamedInPart() {
        List<GenerationEvent> events = new ArrayList<>();
        GenerationResult result = greedy(List.of(ChatMessage.user("hello")), ThinkingBudget.OFF, List.of("tiny Qwen"), events);
        assertThat(result.text()).isEqualTo("Hello! I am a ");
        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
        String streamed = events.stream().filter(GenerationEvent.Text.class::isInstance)
                .map(e -> ((GenerationEvent.Text) e).delta()).reduce("", String::concat);
        assertThat(streamed).isEqualTo(result.text());
    }

    @Test
    void theOldestTurnsGoWhenAConversationOutgrowsTheContext() {
        List<ChatMessage> long_ = new ArrayList<>(List.of(new ChatMessage(Role.SYSTEM, "Answer in one word.")));
        for (int i = 0; i < 200; i++) {
            long_.add(ChatMessage.user("hello number " + i));
            long_.add(new ChatMessage(Role.ASSISTANT, GREETING));
        }
        long_.add(ChatMessage.user("What is 2 + 3?"));

        PreparedPrompt prompt = text.fit(long_, ThinkingBudget.UNLIMITED, 256);

        assertThat(prompt.droppedMessages()).isPositive().isEven();
        assertThat(prompt.ids().length + 256).isLessThanOrEqualTo(text.contextLength());
        assertThat(prompt.text()).startsWith("<|im_start|>system\nAnswer in one word.<|im_end|>\n<|im_start|>user\nhello number")
                .endsWith("<|im_start|>user\nWhat is 2 + 3?<|im_end|>\n<|im_start|>assistant\n");
        assertThat(text.fit(long_.subList(0, 5), ThinkingBudget.UNLIMITED, 256).droppedMessages()).isZero();
    }

    private static GenerationResult greedy(List<ChatMessage> messages, ThinkingBudget thinking, List<String> stops,
            List<GenerationEvent> events) {
        PreparedPrompt prompt = text.prompt(messages, thinking);
        return text.generate(GenerationRequest.of(prompt, Sampling.GREEDY, 120, thinking).withStopStrings(stops), events::add);
    }

    private static JsonNode find(String name) {
        for (JsonNode c : reference.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static List<ChatMessage> messages(JsonNode c) {
        List<ChatMessage> messages = new ArrayList<>();
        c.get("messages").forEach(m -> messages.add(new ChatMessage(Role.fromLabel(m.get("role").asText()), m.get("content").asText())));
        return messages;
    }

    private static List<Integer> boxed(JsonNode ids) {
        return Arrays.stream(TinyDecoder.ints(ids)).boxed().toList();
    }
}
