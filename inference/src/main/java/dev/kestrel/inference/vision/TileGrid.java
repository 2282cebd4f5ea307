package dev.kestrel.inference.vision;

/**
 * How an image is cut: {@code cols} tiles across its width, {@code rows} tiles down its height,
 * and whether a global thumbnail of the whole image goes with them.
 */
public record TileGrid(int cols, int rows, boolean thumbnail) {

    public TileGrid {
        if (cols < 1 || rows < 1) {
            throw new IllegalArgumentException("a tile grid has at least one column and one row, not " + cols + "x" + rows);
        }
    }

    /** Tiles cut from the image, the thumbnail not counted. */
    public int tiles() {
        return cols * rows;
    }

    /** Images the vision encoder sees: the tiles, and the thumbnail when there is one. */
    public int encodedTiles() {
        return tiles() + (thumbnail ? 1 : 0);
    }
}
