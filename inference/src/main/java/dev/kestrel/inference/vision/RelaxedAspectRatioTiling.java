package dev.kestrel.inference.vision;

/**
 * BlueLM-V-3B's relaxed aspect-ratio matching (arXiv 2411.10640, Algorithm 1). Like LLaVA-NeXT it
 * weighs effective against wasted resolution, but a candidate only has to come within
 * {@code alpha} of the best effective resolution to win on less waste, and candidates are tried
 * from the largest grid down; so near-square images stay on one tile instead of being blown up
 * to two or four. A thumbnail of the whole image joins any image cut into more than one tile.
 */
public record RelaxedAspectRatioTiling(TileSettings settings, double alpha) implements TilingPolicy {

    public static final String NAME = "relaxed";
    public static final double PAPER_ALPHA = 0.1;

    public RelaxedAspectRatioTiling(TileSettings settings) {
        this(settings, PAPER_ALPHA);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TileGrid choose(int width, int height) {
        TilingPolicy.requirePositive(width, height);
        TileGrid best = null;
        long effectiveMax = 0;
        long wastedMin = Long.MAX_VALUE;
        for (TileGrid grid : TilingPolicy.candidatesLargestFirst(settings.maxTiles())) {
            Resolution r = Resolution.of(grid, settings.tileSize(), width, height);
            boolean clearlySharper = r.effective() - effectiveMax > alpha * effectiveMax;
            boolean aboutAsSharpLessWaste = effectiveMax - r.effective() < alpha * effectiveMax && r.wasted() < wastedMin;
            if (clearlySharper || aboutAsSharpLessWaste) {
                best = grid;
                effectiveMax = r.effective();
                wastedMin = r.wasted();
            }
        }
        if (best == null) {
            // Only a sliver a pixel or so wide keeps no pixel in any grid; one tile is as good as any.
            return new TileGrid(1, 1, false);
        }
        return new TileGrid(best.cols(), best.rows(), best.tiles() > 1);
    }
}
