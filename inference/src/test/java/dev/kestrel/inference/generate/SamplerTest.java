package dev.kestrel.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void greedyTakesTheLargestLogitAndTheLowestIdOnTies() {
        assertThat(Sampler.argmax(new float[] {0.1f, 3f, -2f, 3f})).isEqualTo(1);
        assertThat(new Sampler(Sampling.GREEDY).next(new float[] {-5f, -1f, -3f})).isEqualTo(1);
    }

    @Test
    void rankingAgreesWithAFullSortWhateverTheSignsAndTies() {
        float[] logits = new float[5000];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.round(random.nextDouble(-30, 30) * 4) / 4; // many exact ties
        }
        Integer[] expected = new Integer[logits.length];
        Arrays.setAll(expected, i -> i);
        Arrays.sort(expected, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));

        for (int k : new int[] {1, 20, 50, 4999, 0}) {
            long[] ranked = Sampler.ranked(logits, k);
            int size = k == 0 ? logits.length : k;
            assertThat(ranked).hasSize(size);
            for (int i = 0; i < size; i++) {
                assertThat(logits.length - 1 - (int) (ranked[i] & 0xffffffffL)).as("k=%d rank %d", k, i).isEqualTo(expected[i]);
            }
        }
    }

    @Test
    void topKOfOneAndATinyTopPAreGreedy() {
        float[] logits = {1f, 4f, 2f, 3.9f};
        for (long seed = 0; seed < 50; seed++) {
            assertThat(new Sampler(new Sampling(1.5, 1, 1, seed)).next(logits)).isEqualTo(1);
            assertThat(new Sampler(new Sampling(1.5, 0, 1e-6, seed)).next(logits)).isEqualTo(1);
        }
    }

    @Test
    void drawsFollowTheSoftmaxOfTheTemperedLogits() {
        float[] logits = {2f, 1f, 0f, -1f};
        double temperature = 0.8;
        double[] expected = softmax(logits, temperature);
        int[] counts = new int[logits.length];
        Sampler sampler = new Sampler(new Sampling(temperature, 0, 1, 1234));
        int draws = 40_000;
        for (int i = 0; i < draws; i++) {
            counts[sampler.next(logits)]++;
        }
        for (int i = 0; i < logits.length; i++) {
            assertThat(counts[i] / (double) draws).as("token %d", i).isCloseTo(expected[i], within(0.01));
        }
    }

    @Test
    void topPKeepsTheSmallestSetThatReachesIt() {
        float[] logits = {3f, 2f, 1f, 0f};
        double[] p = softmax(logits, 1.0); // about 0.64, 0.24, 0.09, 0.03
        Sampler sampler = new Sampler(new Sampling(1.0, 0, 0.85, 99));
        int[] counts = new int[logits.length];
        for (int i = 0; i < 20_000; i++) {
            counts[sampler.next(logits)]++;
        }
        assertThat(counts[2]).isZero();
        assertThat(counts[3]).isZero();
        assertThat(counts[0] / 20_000.0).isCloseTo(p[0] / (p[0] + p[1]), within(0.015));
    }

    private static double[] softmax(float[] logits, double temperature) {
        double[] e = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] / temperature);
            sum += e[i];
        }
        for (int i = 0; i < e.length; i++) {
            e[i] /= sum;
        }
        return e;
    }
}
