package dev.kestrel.inference.generate;

import java.util.List;

/**
 * A finished reply.
 *
 * @param text     the answer, thinking excluded
 * @param thinking the thinking text, empty when the model did not think
 * @param tokens   every generated id in order, the final stop token included (as transformers' generate returns it)
 * @param device   the execution provider that ran the decoder
 */
public record GenerationResult(
        String text, String thinking, List<Integer> tokens, FinishReason finishReason, Usage usage, Timings timings,
        String device) {

    public GenerationResult {
        tokens = List.copyOf(tokens);
    }

    /** Tokens per second after the first one, which prefill produces. */
    public double decodeTokensPerSecond() {
        int decoded = tokens.size() - 1;
        return decoded <= 0 || timings.decodeMs() <= 0 ? 0 : decoded / (timings.decodeMs() / 1000.0);
    }

    public GenerationResult withTimings(Timings newTimings) {
        return new GenerationResult(text, thinking, tokens, finishReason, usage, newTimings, device);
    }
}
