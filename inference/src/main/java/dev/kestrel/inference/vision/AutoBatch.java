package dev.kestrel.inference.vision;

/**
 * The measurements behind {@link BatchSize#AUTO}: each trial size is timed once on a full batch
 * of real tiles, then the size with the least time per tile is used from then on.
 */
final class AutoBatch {

    private final double[] msPerTile = new double[BatchSize.TRIALS.length];
    private int chosen;

    /** The batch to run next when {@code remaining} tiles are left. */
    synchronized int next(int remaining) {
        if (chosen > 0) {
            return Math.min(chosen, remaining);
        }
        for (int i = 0; i < BatchSize.TRIALS.length; i++) {
            if (msPerTile[i] == 0 && BatchSize.TRIALS[i] <= remaining) {
                return BatchSize.TRIALS[i];
            }
        }
        return Math.min(bestSoFar(), remaining);
    }

    /** Records how long a batch of {@code tiles} took, when it is one of the trial sizes. */
    synchronized void measured(int tiles, double ms) {
        for (int i = 0; i < BatchSize.TRIALS.length; i++) {
            if (BatchSize.TRIALS[i] == tiles && msPerTile[i] == 0) {
                msPerTile[i] = Math.max(ms / tiles, Double.MIN_VALUE);
            }
        }
        boolean allMeasured = true;
        for (double ms1 : msPerTile) {
            allMeasured &= ms1 > 0;
        }
        if (allMeasured) {
            chosen = bestSoFar();
        }
    }

    /** The chosen size, or 0 while trials are still running. */
    synchronized int chosen() {
        return chosen;
    }

    private int bestSoFar() {
        int best = 1;
        double bestMs = Double.MAX_VALUE;
        for (int i = 0; i < BatchSize.TRIALS.length; i++) {
            if (msPerTile[i] > 0 && msPerTile[i] < bestMs) {
                bestMs = msPerTile[i];
                best = BatchSize.TRIALS[i];
            }
        }
        return best;
    }
}
