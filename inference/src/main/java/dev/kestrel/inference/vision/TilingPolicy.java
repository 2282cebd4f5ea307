package dev.kestrel.inference.vision;

import dev.kestrel.inference.InvalidRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses how to cut an image of a given size into square tiles. Each policy is one published
 * rule; {@link RelaxedAspectRatioTiling} is BlueLM-V-3B's.
 */
public sealed interface TilingPolicy permits RelaxedAspectRatioTiling, LlavaNextTiling, InternVlTiling, Idefics3Tiling {

    /** The policy names {@code kestrel tiles --policy} accepts. */
    List<String> NAMES = List.of(RelaxedAspectRatioTiling.NAME, LlavaNextTiling.NAME, InternVlTiling.NAME, Idefics3Tiling.NAME);

    /** The policy's name as the command line and settings spell it, e.g. {@code relaxed}. */
    String name();

    TileSettings settings();

    /** The grid for an image {@code width} x {@code height} pixels. */
    TileGrid choose(int width, int height);

    static TilingPolicy named(String name, TileSettings settings) {
        return switch (name) {
            case RelaxedAspectRatioTiling.NAME -> new RelaxedAspectRatioTiling(settings);
            case LlavaNextTiling.NAME -> new LlavaNextTiling(settings);
            case InternVlTiling.NAME -> new InternVlTiling(settings);
            case Idefics3Tiling.NAME -> Idefics3Tiling.forBudget(settings);
            default -> throw new InvalidRequestException("unknown tiling policy '" + name + "'; choose one of " + String.join(", ", NAMES));
        };
    }

    /**
     * Every grid of at most {@code maxTiles} tiles as (cols, rows), in descending order of
     * (tiles, cols, rows): the order BlueLM-V-3B's Algorithm 1 tries them in.
     */
    static List<TileGrid> candidatesLargestFirst(int maxTiles) {
        List<TileGrid> grids = new ArrayList<>();
        for (int cols = 1; cols <= maxTiles; cols++) {
            for (int rows = 1; cols * rows <= maxTiles; rows++) {
                grids.add(new TileGrid(cols, rows, false));
            }
        }
        grids.sort(Comparator.comparingInt(TileGrid::tiles).thenComparingInt(TileGrid::cols).thenComparingInt(TileGrid::rows).reversed());
        return grids;
    }

    /** The same grids from the smallest up, the order LLaVA-NeXT and InternVL try theirs in. */
    static List<TileGrid> candidatesSmallestFirst(int maxTiles) {
        return candidatesLargestFirst(maxTiles).reversed();
    }

    static void requirePositive(int width, int height) {
        if (width < 1 || height < 1) {
            throw new InvalidRequestException("an image must be at least 1x1 pixels, not " + width + "x" + height);
        }
    }
}
