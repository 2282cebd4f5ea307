package dev.kestrel.inference.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from one row of logits according to a {@link Sampling}. */
final class Sampler {

    private final Sampling sampling;
    private final SplittableRandom random;

    Sampler(Sampling sampling) {
        this.sampling = sampling;
        this.random = new SplittableRandom(sampling.seed());
    }

    int next(float[] logits) {
        return sampling.greedy() ? argmax(logits) : sample(logits);
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Temperature, then top-k, then top-p over the survivors, then one draw: transformers' order. */
    private int sample(float[] logits) {
        int n = logits.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int keep = sampling.topK() > 0 ? Math.min(sampling.topK(), n) : n;
        double max = logits[order[0]] / sampling.temperature();
        double[] weights = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            weights[i] = Math.exp(logits[order[i]] / sampling.temperature() - max);
            total += weights[i];
        }
        if (sampling.topP() < 1) {
            double cumulative = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                cumulative += weights[i] / total;
                if (cumulative >= sampling.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            total = 0;
            for (int i = 0; i < keep; i++) {
                total += weights[i];
            }
        }
        double draw = random.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            draw -= weights[i];
            if (draw <= 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}
