package dev.kestrel.inference.generate;

/**
 * How the next token is chosen: greedily (argmax, lowest id on ties, as PyTorch's argmax), or by
 * sampling with temperature, top-k and top-p (nucleus) from a seeded generator.
 *
 * @param temperature 0 means greedy
 * @param topK        0 means no top-k limit
 * @param topP        1 means no nucleus limit
 */
public record Sampling(double temperature, int topK, double topP, long seed) {

    public static final Sampling GREEDY = new Sampling(0, 0, 1, 0);

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
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
