package dev.kestrel.inference.vision;

import dev.kestrel.inference.InvalidRequestException;

/**
 * Tiles per vision-encoder run: a fixed number, or {@link #AUTO}, which measures batch sizes
 * 1, 2, 4 and 8 on the first real tiles and keeps whichever costs least per tile.
 */
public record BatchSize(int tiles) {

    public static final BatchSize AUTO = new BatchSize(0);
    static final int[] TRIALS = {1, 2, 4, 8};

    public BatchSize {
        if (tiles < 0 || tiles > 64) {
            throw new InvalidRequestException("the tile batch must be auto or between 1 and 64 tiles, not " + tiles);
        }
    }

    public static BatchSize parse(String text) {
        if (text.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        try {
            return new BatchSize(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("the tile batch must be auto or a number of tiles, not '" + text + "'");
        }
    }

    public boolean isAuto() {
        return tiles == 0;
    }

    /** The largest batch this setting can ask for. */
    int max() {
        return isAuto() ? TRIALS[TRIALS.length - 1] : tiles;
    }

    @Override
    public String toString() {
        return isAuto() ? "auto" : Integer.toString(tiles);
    }
}
