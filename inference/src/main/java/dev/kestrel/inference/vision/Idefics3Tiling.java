package dev.kestrel.inference.vision;

/**
 * SmolVLM's own resize-and-split (Hugging Face's Idefics3ImageProcessor): the image is scaled so
 * its longest edge is {@code longestEdge} (small images are scaled up), then each side is rounded
 * up to a whole number of tiles, and a thumbnail (the whole image squeezed into one tile) joins
 * the tiles whenever there is more than one. Without splitting, the image is squeezed into a
 * single tile.
 *
 * @param longestEdge preprocessor_config.json's {@code size.longest_edge}
 * @param split       preprocessor_config.json's {@code do_image_splitting}
 */
public record Idefics3Tiling(TileSettings settings, int longestEdge, boolean split) implements TilingPolicy {

    public static final String NAME = "idefics3";
    /** Idefics3's upper bound on either side after the first resize. */
    static final int MAX_IMAGE_SIZE = 4096;

    /**
     * The rule for a bare tile budget, as {@code kestrel tiles} uses it: the longest edge that
     * yields at most {@code maxTiles} tiles, a square grid of floor(sqrt(maxTiles)) tiles a side
     * (SmolVLM's 2048 over 512-pixel tiles is the budget 16).
     */
    public static Idefics3Tiling forBudget(TileSettings settings) {
        int side = (int) Math.floor(Math.sqrt(settings.maxTiles()));
        return new Idefics3Tiling(settings, settings.tileSize() * side, true);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TileGrid choose(int width, int height) {
        TilingPolicy.requirePositive(width, height);
        if (!split) {
            return new TileGrid(1, 1, false);
        }
        Size grid = splitSize(width, height);
        int tile = settings.tileSize();
        if (grid.width() <= tile && grid.height() <= tile) {
            return new TileGrid(1, 1, false);
        }
        return new TileGrid(grid.width() / tile, grid.height() / tile, true);
    }

    /** The size after the first resize: longest edge {@code longestEdge}, the other side even, both within 4096. */
    public Size resizedSize(int width, int height) {
        double aspect = (double) width / height;
        int w;
        int h;
        if (width >= height) {
            w = longestEdge;
            h = (int) (w / aspect);
            h += h % 2;
        } else {
            h = longestEdge;
            w = (int) (h * aspect);
            w += w % 2;
        }
        w = Math.max(w, 1);
        h = Math.max(h, 1);
        double bounded = (double) w / h;
        if (w >= h && w > MAX_IMAGE_SIZE) {
            w = MAX_IMAGE_SIZE;
            h = Math.max((int) (w / bounded), 1);
        } else if (h > w && h > MAX_IMAGE_SIZE) {
            h = MAX_IMAGE_SIZE;
            w = Math.max((int) (h * bounded), 1);
        }
        return new Size(w, h);
    }

    /** The size the resized image is stretched to before it is cut: whole tiles on both sides. */
    public Size splitSize(int width, int height) {
        Size resized = resizedSize(width, height);
        int tile = settings.tileSize();
        double aspect = (double) resized.width() / resized.height();
        int w;
        int h;
        if (resized.width() >= resized.height()) {
            w = roundUp(resized.width(), tile);
            h = roundUp((int) (w / aspect), tile);
        } else {
            h = roundUp(resized.height(), tile);
            w = roundUp((int) (h * aspect), tile);
        }
        return new Size(w, h);
    }

    private static int roundUp(int value, int tile) {
        return Math.max(1, (int) Math.ceil((double) value / tile)) * tile;
    }
}
