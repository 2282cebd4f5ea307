package dev.kestrel.inference.generate;

/**
 * One reply to generate from a prompt already in token ids.
 *
 * @param maxNewTokens  at most this many generated tokens (the stop token included)
 * @param prefillChunk  prompt tokens fed per step (BlueLM-V-3B's chunked prefill; 128 by default)
 */
public record GenerationRequest(int[] promptIds, Sampling sampling, int maxNewTokens, int prefillChunk, Cancellation cancellation) {

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
        promptIds = promptIds.clone();
    }

    public GenerationRequest(int[] promptIds, Sampling sampling, int maxNewTokens) {
        this(promptIds, sampling, maxNewTokens, DEFAULT_PREFILL_CHUNK, new Cancellation());
    }
}
