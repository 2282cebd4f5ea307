package dev.kestrel.inference.generate;

/**
 * How the next token is chosen. Greedy is argmax (lowest id on ties, as PyTorch's argmax);
 * otherwise a seeded draw after transformers' logits pipeline: repetition penalty, temperature,
 * top-k, top-p, min-p.
 *
 * @param temperature        0 means greedy
 * @param topK               0 means no top-k limit
 * @param topP               1 means no nucleus limit
 * @param minP               0 means no min-p limit (keep tokens at least minP times as likely as the best)
 * @param repetitionPenalty  1 means none; above 1 makes tokens already in the prompt or reply less likely
 */
public record Sampling(double temperature, int topK, double topP, double minP, double repetitionPenalty, long seed) {

    public static final Sampling GREEDY = new Sampling(0, 0, 1, 0, 1, 0);

    public Sampling {
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be 0 or more, not " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be 0 or more, not " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], not " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min-p must be in [0, 1], not " + minP);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("the repetition penalty must be above 0, not " + repetitionPenalty);
        }
    }

    /** Sampling with temperature, top-k and top-p, nothing else. */
    public Sampling(double temperature, int topK, double topP, long seed) {
        this(temperature, topK, topP, 0, 1, seed);
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public Sampling withRepetitionPenalty(double penalty) {
        return new Sampling(temperature, topK, topP, minP, penalty, seed);
    }

    public Sampling withMinP(double value) {
        return new Sampling(temperature, topK, topP, value, repetitionPenalty, seed);
    }
}
