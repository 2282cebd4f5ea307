package dev.kestrel.inference.vision;

/**
 * InternVL-1.5's dynamic preprocessing: the grid whose aspect ratio is closest to the image's,
 * smallest grid first; on a tie the larger grid wins when the image has more than half its
 * pixels. The image is stretched to the grid, and a thumbnail joins any multi-tile grid.
 */
public record InternVlTiling(TileSettings settings) implements TilingPolicy {

    public static final String NAME = "internvl";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TileGrid choose(int width, int height) {
        TilingPolicy.requirePositive(width, height);
        double aspect = (double) width / height;
        long area = (long) width * height;
        long tileArea = (long) settings.tileSize() * settings.tileSize();
                TileGrid best = new TileGrid(1, 1, false);
        double bestDiff = Double.POSITIVE_INFINITY;
        for (TileGrid grid : TilingPolicy.candidatesSmallestFirst(settings.maxTiles())) {
            double diff = Math.abs(aspect - (double) grid.cols() / grid.rows());
            if (diff < bestDiff) {
                bestDiff = diff;
                best = grid;
            } else if (diff == bestDiff && area > 0.5 * tileArea * grid.tiles()) {
                best = grid;
            }
        }
        return new TileGrid(best.cols(), best.rows(), best.tiles() > 1);
    }
}
