package dev.kestrel.inference.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits according to a {@link Sampling}: temperature, then
 * top-k, then top-p and min-p over the survivors, then one draw (transformers' order).
 *
 * <p>Candidates are ranked as packed longs (sortable logit bits above, reversed index below), so
 * ranking a 151k vocabulary needs no boxing: a bounded heap for top-k, a primitive sort otherwise.
 * Equal logits rank the lower id first, as PyTorch's argmax does.
 */
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

    private int sample(float[] logits) {
        long[] ranked = ranked(logits, sampling.topK());
        int n = logits.length;
        double temperature = sampling.temperature();
        double max = logits[id(ranked[0], n)] / temperature;
        double[] weights = new double[ranked.length];
        double total = 0;
        for (int i = 0; i < ranked.length; i++) {
            weights[i] = Math.exp(logits[id(ranked[i], n)] / temperature - max);
            total += weights[i];
        }
        int keep = ranked.length;
        if (sampling.topP() < 1) {
            // The smallest prefix whose probability reaches top-p (always at least one token).
            double cumulative = 0;
            for (int i = 0; i < ranked.length; i++) {
                cumulative += weights[i] / total;
                if (cumulative >= sampling.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        if (sampling.minP() > 0) {
            // Keep tokens at least min-p times as likely as the best one (weights are relative probabilities).
            double floor = sampling.minP() * weights[0];
            int kept = 1;
            while (kept < keep && weights[kept] >= floor) {
                kept++;
            }
            keep = kept;
        }
        total = 0;
        for (int i = 0; i < keep; i++) {
            total += weights[i];
        }
        double draw = random.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return id(ranked[i], n);
            }
        }
        return id(ranked[keep - 1], n);
    }

    /** The {@code k} best candidates (all when k is 0), best first. */
    static long[] ranked(float[] logits, int k) {
        int n = logits.length;
        int size = k <= 0 || k >= n ? n : k;
        if (size == n) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = key(logits[i], i, n);
            }
            Arrays.sort(keys);
            reverse(keys);
            return keys;
        }
        // Min-heap of the best `size` keys seen so far: the root is the weakest survivor.
        long[] heap = new long[size];
        for (int i = 0; i < size; i++) {
            heap[i] = key(logits[i], i, n);
        }
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(heap, i, size);
        }
        for (int i = size; i < n; i++) {
            long candidate = key(logits[i], i, n);
            if (candidate > heap[0]) {
                heap[0] = candidate;
                siftDown(heap, 0, size);
            }
        }
        Arrays.sort(heap);
        reverse(heap);
        return heap;
    }

    private static long key(float logit, int id, int n) {
        int bits = Float.floatToIntBits(logit);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // same order as the floats, as signed ints
        return ((long) sortable << 32) | (n - 1 - id);      // lower id ranks higher on ties
    }

    private static int id(long key, int n) {
        return n - 1 - (int) (key & 0xffffffffL);
    }

    private static void siftDown(long[] heap, int at, int size) {
        while (true) {
            int smallest = at;
            int left = 2 * at + 1;
            int right = left + 1;
            if (left < size && heap[left] < heap[smallest]) {
                smallest = left;
            }
            if (right < size && heap[right] < heap[smallest]) {
                smallest = right;
            }
            if (smallest == at) {
                return;
            }
            long swap = heap[at];
            heap[at] = heap[smallest];
            heap[smallest] = swap;
            at = smallest;
        }
    }

    private static void reverse(long[] values) {
        for (int i = 0, j = values.length - 1; i < j; i++, j--) {
            long swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
