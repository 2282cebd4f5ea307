package dev.kestrel.storage;

/**
 * How a reply was sampled. Temperature 0 is greedy decoding (the other values then mean nothing);
 * top-k 0 and min-p 0 are off, repetition penalty 1 is none.
 */
public record SamplingSettings(double temperature, double topP, int topK, double minP, double repetitionPenalty, long seed) {

    public static final SamplingSettings GREEDY = new SamplingSettings(0, 1, 0, 0, 1, 0);

    public boolean greedy() {
        return temperature == 0;
    }
}
