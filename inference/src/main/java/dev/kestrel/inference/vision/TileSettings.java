package dev.kestrel.inference.vision;

import dev.kestrel.inference.InvalidRequestException;

/**
 * The tile budget: each tile is {@code tileSize} pixels square, and an image is cut into at most
 * {@code maxTiles} tiles (a thumbnail, where the policy adds one, comes on top).
 */
public record TileSettings(int tileSize, int maxTiles) {

    public static final int DEFAULT_TILE_SIZE = 384;
    public static final int DEFAULT_MAX_TILES = 9;
    public static final TileSettings DEFAULT = new TileSettings(DEFAULT_TILE_SIZE, DEFAULT_MAX_TILES);

    public TileSettings {
        if (tileSize < 1 || tileSize > 4096) {
            throw new InvalidRequestException("the tile size must be between 1 and 4096 pixels, not " + tileSize);
        }
        if (maxTiles < 1 || maxTiles > 144) {
            throw new InvalidRequestException("the tile budget must be between 1 and 144 tiles, not " + maxTiles);
        }
    }
}
