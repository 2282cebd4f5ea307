package dev.kestrel.inference.vision;

/**
 * LLaVA-NeXT's any-resolution choice: the grid with the largest effective resolution, ties
 * going to the least wasted one (the first such grid from the smallest up). LLaVA-NeXT always
 * adds the resized whole image as the base (thumbnail) tile.
 */
public record LlavaNextTiling(TileSettings settings) implements TilingPolicy {

    public static final String NAME = "llava-next";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TileGrid choose(int width, int height) {
        TilingPolicy.requirePositive(width, height);
                TileGrid best = null;
        long effectiveMax = -1;
        long wastedMin = Long.MAX_VALUE;
        for (TileGrid grid : TilingPolicy.candidatesSmallestFirst(settings.maxTiles())) {
            Resolution r = Resolution.of(grid, settings.tileSize(), width, height);
            if (r.effective() > effectiveMax || (r.effective() == effectiveMax && r.wasted() < wastedMin)) {
                best = grid;
                effectiveMax = r.effective();
                wastedMin = r.wasted();
            }
        }
        return new TileGrid(best.cols(), best.rows(), true);
    }
}
