package dev.kestrel.inference.vision;

/**
 * An image as the language model takes it: the grid it was cut into and the vision features of
 * its tiles, row-major tiles first and the thumbnail last.
 *
 * @param key      identifies the image's bytes and how it was tiled (the embedding cache's key)
 * @param features [encodedTiles * tokensPerTile, hidden]; shared, not copied (the cache and every
 *                 prompt read the same array), so never written after encoding
 * @param encodeMs time spent encoding it; 0 when it came from the cache
 */
public record EncodedImage(String key, TileGrid grid, int tokensPerTile, int hidden, float[] features, double encodeMs) {

    public EncodedImage {
        long expected = (long) grid.encodedTiles() * tokensPerTile * hidden;
        if (features.length != expected) {
            throw new IllegalArgumentException(features.length + " feature values for " + grid.encodedTiles() + " tiles of "
                    + tokensPerTile + " tokens of width " + hidden);
        }
    }

    /** Image tokens this image takes in a prompt. */
    public int tokens() {
        return grid.encodedTiles() * tokensPerTile;
    }

    /** The same image, marked as found already encoded. */
    EncodedImage cached() {
        return new EncodedImage(key, grid, tokensPerTile, hidden, features, 0);
    }
}
