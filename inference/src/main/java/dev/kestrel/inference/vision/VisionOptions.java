package dev.kestrel.inference.vision;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a vision model handles images.
 *
 * @param tiling       a tiling policy by name to use instead of the model's own (e.g. {@code relaxed})
 * @param maxTiles     a tile budget to use instead of the model's
 * @param batch        tiles per vision-encoder run
 * @param cacheFolder  where encoded images are kept between runs (KESTREL_HOME's cache), if anywhere
 */
public record VisionOptions(Optional<String> tiling, Optional<Integer> maxTiles, BatchSize batch, Optional<Path> cacheFolder) {

    public static final VisionOptions DEFAULT = new VisionOptions(Optional.empty(), Optional.empty(), BatchSize.AUTO, Optional.empty());

    public VisionOptions withCacheFolder(Path folder) {
        return new VisionOptions(tiling, maxTiles, batch, Optional.of(folder));
    }
}
