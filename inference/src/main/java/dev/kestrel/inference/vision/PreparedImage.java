package dev.kestrel.inference.vision;

import dev.kestrel.inference.model.VisionConfig;
import dev.kestrel.inference.vision.image.RgbImage;
import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image resized for its grid, ready to be cut: each tile is a square window into one of the
 * resized images, normalized only when the encoder asks for it.
 */
public final class PreparedImage implements TileSource {

    /** One tile: the square at (x, y) of {@code source}. */
    record Window(RgbImage source, int x, int y) {}

    private final TileGrid grid;
    private final int tileSize;
    private final List<Window> windows;
    private final float[][] normalized = new float[3][256];
    /** Each source image's bytes, copied once however many tiles share it. */
    private final Map<RgbImage, byte[]> pixels = new IdentityHashMap<>();

    PreparedImage(TileGrid grid, int tileSize, List<Window> windows, VisionConfig config) {
        if (windows.size() != grid.encodedTiles()) {
            throw new IllegalArgumentException(windows.size() + " tiles for a grid of " + grid.encodedTiles());
        }
        this.grid = grid;
        this.tileSize = tileSize;
        this.windows = List.copyOf(windows);
        windows.forEach(w -> pixels.computeIfAbsent(w.source(), RgbImage::toRgbBytes));
        float[] mean = config.mean();
        float[] std = config.std();
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                // Hugging Face rescales in double, stores float32, then normalizes in float32.
                float rescaled = (float) (v * config.rescale());
                normalized[c][v] = (rescaled - mean[c]) / std[c];
            }
        }
    }

    public TileGrid grid() {
        return grid;
    }

    @Override
    public int count() {
        return windows.size();
    }

    @Override
    public int tileSize() {
        return tileSize;
    }

    /** The tile's pixels before normalization, for tests and debugging. */
    public RgbImage tile(int index) {
        Window w = windows.get(index);
        return w.source().crop(w.x(), w.y(), tileSize, tileSize);
    }

    @Override
    public void write(int index, FloatBuffer into) {
        Window w = windows.get(index);
        byte[] rgb = pixels.get(w.source());
        int stride = w.source().width() * 3;
        for (int c = 0; c < 3; c++) {
            float[] lut = normalized[c];
            for (int y = 0; y < tileSize; y++) {
                int at = (w.y() + y) * stride + w.x() * 3 + c;
                for (int x = 0; x < tileSize; x++, at += 3) {
                    into.put(lut[rgb[at] & 0xff]);
                }
            }
        }
    }
}
