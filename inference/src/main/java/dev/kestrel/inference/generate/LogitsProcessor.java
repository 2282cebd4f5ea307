package dev.kestrel.inference.generate;

/** A step of the logits pipeline that runs before the sampler chooses, given the ids so far. */
interface LogitsProcessor {

    /** Changes {@code logits} in place; {@code history} holds the prompt and the reply so far. */
    void process(float[] logits, TokenHistory history);
}
