package dev.kestrel.inference.vision;

/**
 * Vision features that take the place of image tokens in a prompt: row i replaces the embedding
 * of the i-th {@code tokenId} in the prompt's ids.
 *
 * @param rows [count, hidden] in row-major order
 */
public record ImageFeatures(int tokenId, int hidden, float[] rows) {

    /** No images: a prompt of text only. */
    public static final ImageFeatures NONE = new ImageFeatures(-1, 1, new float[0]);

    public ImageFeatures {
        if (hidden < 1 || rows.length % hidden != 0) {
            throw new IllegalArgumentException(rows.length + " feature values are not whole rows of " + hidden);
        }
    }

    public int count() {
        return rows.length / hidden;
    }

    public boolean isEmpty() {
        return rows.length == 0;
    }

    /** How many of {@code ids[from, to)} are image tokens. */
    public int countIn(int[] ids, int from, int to) {
        if (isEmpty()) {
            return 0;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            if (ids[i] == tokenId) {
                n++;
            }
        }
        return n;
    }
}
