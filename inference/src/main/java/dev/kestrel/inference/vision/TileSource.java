package dev.kestrel.inference.vision;

import java.nio.FloatBuffer;

/**
 * The tiles of one image, ready to encode. Tiles are written on demand, so the next batch can be
 * made while the vision encoder runs the current one.
 */
public interface TileSource {

    /** Tiles to encode, the thumbnail included. */
    int count();

    /** Side of a tile in pixels. */
    int tileSize();

    /** Writes tile {@code index} as normalized [3, size, size] floats at the buffer's position. */
    void write(int index, FloatBuffer into);
}
