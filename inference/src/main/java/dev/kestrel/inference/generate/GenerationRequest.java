package dev.kestrel.inference.generate;

import dev.kestrel.inference.vision.ImageFeatures;
import java.util.List;

/**
 * One reply to generate from a prompt already in token ids.
 *
 * @param startsInThinking the prompt ends inside an open thinking block (the template opened it)
 * @param maxNewTokens     at most this many generated tokens, thinking and the stop token included
 * @param thinking         the thinking budget (models that cannot think ignore it)
 * @param stopStrings      the answer ends before the first of these, which is not part of it
 * @param prefillChunk     prompt tokens fed per step (BlueLM-V-3B's chunked prefill; 128 by default)
 * @param ignoreStopTokens go on past stop tokens until maxNewTokens (for benchmarks)
 * @param images           the vision features that replace the prompt's image tokens, in order
 */
public record GenerationRequest(
        int[] promptIds, boolean startsInThinking, Sampling sampling, int maxNewTokens, ThinkingBudget thinking,
        List<String> stopStrings, int prefillChunk, Cancellation cancellation, boolean ignoreStopTokens, ImageFeatures images) {

    public static final int DEFAULT_PREFILL_CHUNK = 128;

    public GenerationRequest {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt is empty");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be at least 1, not " + maxNewTokens);
        }
        if (prefillChunk < 1) {
            throw new IllegalArgumentException("the prefill chunk must be at least 1 token, not " + prefillChunk);
        }
        if (stopStrings.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("a stop string cannot be empty");
        }
        promptIds = promptIds.clone();
        stopStrings = List.copyOf(stopStrings);
    }

    /** A request with default thinking (unlimited), no stop strings, 128-token prefill chunks. */
    public GenerationRequest(int[] promptIds, Sampling sampling, int maxNewTokens) {
        this(promptIds, false, sampling, maxNewTokens, ThinkingBudget.UNLIMITED, List.of(), DEFAULT_PREFILL_CHUNK, new Cancellation(),
                false, ImageFeatures.NONE);
    }

    /** A request for a prepared prompt. */
    public static GenerationRequest of(PreparedPrompt prompt, Sampling sampling, int maxNewTokens, ThinkingBudget thinking) {
        return new GenerationRequest(prompt.ids(), prompt.startsInThinking(), sampling, maxNewTokens, thinking, List.of(),
                DEFAULT_PREFILL_CHUNK, new Cancellation(), false, prompt.images());
    }

    public GenerationRequest withStopStrings(List<String> strings) {
        return new GenerationRequest(promptIds, startsInThinking, sampling, maxNewTokens, thinking, strings, prefillChunk, cancellation,
                ignoreStopTokens, images);
    }

    public GenerationRequest withPrefillChunk(int tokens) {
        return new GenerationRequest(promptIds, startsInThinking, sampling, maxNewTokens, thinking, stopStrings, tokens, cancellation,
                ignoreStopTokens, images);
    }

    public GenerationRequest withCancellation(Cancellation signal) {
        return new GenerationRequest(promptIds, startsInThinking, sampling, maxNewTokens, thinking, stopStrings, prefillChunk, signal,
                ignoreStopTokens, images);
    }

    public GenerationRequest ignoringStopTokens() {
        return new GenerationRequest(promptIds, startsInThinking, sampling, maxNewTokens, thinking, stopStrings, prefillChunk, cancellation,
                true, images);
    }
}
