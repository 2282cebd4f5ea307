package dev.kestrel.inference.vision;

import dev.kestrel.inference.model.VisionConfig;
import dev.kestrel.inference.vision.image.Resampling;
import dev.kestrel.inference.vision.image.Resizer;
import dev.kestrel.inference.vision.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * From decoded pixels to tiles, the way each tiling policy's reference lays an image out on its
 * grid. Resizing uses the model's resampling filter with Pillow's arithmetic, so tiles match
 * what Hugging Face's processor makes from the same pixels.
 */
public final class ImagePreprocessor {

    private ImagePreprocessor() {}

    public static PreparedImage prepare(RgbImage image, TilingPolicy policy, VisionConfig config) {
        Resampling filter = Resampling.fromPillowCode(config.resample());
        int tile = policy.settings().tileSize();
        TileGrid grid = policy.choose(image.width(), image.height());
        List<PreparedImage.Window> windows = switch (policy) {
            case Idefics3Tiling idefics3 -> idefics3(image, idefics3, grid, filter);
            case InternVlTiling ignored -> cut(stretched(image, grid, tile, filter), grid, tile, image, filter);
            case RelaxedAspectRatioTiling ignored -> cut(letterbox(image, grid, tile, config, filter), grid, tile, image, filter);
            case LlavaNextTiling ignored -> cut(letterbox(image, grid, tile, config, filter), grid, tile, image, filter);
        };
        return new PreparedImage(grid, tile, windows, config);
    }

    /**
     * Idefics3ImageProcessor: scale to the longest edge, stretch to whole tiles, cut; the global
     * image is the stretched image squeezed into one tile. Unsplit, the scaled image is squeezed.
     */
    private static List<PreparedImage.Window> idefics3(RgbImage image, Idefics3Tiling policy, TileGrid grid, Resampling filter) {
        int tile = policy.settings().tileSize();
        Size first = policy.resizedSize(image.width(), image.height());
        RgbImage resized = Resizer.resize(image, first.width(), first.height(), filter);
        if (!policy.split()) {
            return List.of(new PreparedImage.Window(Resizer.resize(resized, tile, tile, filter), 0, 0));
        }
        Size whole = policy.splitSize(image.width(), image.height());
        RgbImage stretched = Resizer.resize(resized, whole.width(), whole.height(), filter);
        if (!grid.thumbnail()) {
            return List.of(new PreparedImage.Window(stretched, 0, 0));
        }
        return cut(stretched, grid, tile, stretched, filter);
    }

    /** InternVL's layout: the image stretched over the whole grid, aspect ratio not kept. */
    private static RgbImage stretched(RgbImage image, TileGrid grid, int tile, Resampling filter) {
        return Resizer.resize(image, tile * grid.cols(), tile * grid.rows(), filter);
    }

    /** The tiles of {@code canvas} row by row, then {@code whole} squeezed into one tile when the grid has a thumbnail. */
    private static List<PreparedImage.Window> cut(RgbImage canvas, TileGrid grid, int tile, RgbImage whole, Resampling filter) {
        List<PreparedImage.Window> windows = new ArrayList<>();
        for (int row = 0; row < grid.rows(); row++) {
            for (int col = 0; col < grid.cols(); col++) {
                windows.add(new PreparedImage.Window(canvas, col * tile, row * tile));
            }
        }
        if (grid.thumbnail()) {
            windows.add(new PreparedImage.Window(Resizer.resize(whole, tile, tile, filter), 0, 0));
        }
        return windows;
    }

    /**
     * LLaVA-NeXT's layout, which BlueLM-V-3B keeps: the image scaled (aspect ratio kept) to fit
     * the grid, centred, the rest padded with the normalization mean so padding reads as zero.
     */
    private static RgbImage letterbox(RgbImage image, TileGrid grid, int tile, VisionConfig config, Resampling filter) {
        int width = tile * grid.cols();
        int height = tile * grid.rows();
        double scaleW = (double) width / image.width();
        double scaleH = (double) height / image.height();
        int w;
        int h;
        if (scaleW < scaleH) {
            w = width;
            h = Math.min((int) Math.ceil(image.height() * scaleW), height);
        } else {
            h = height;
            w = Math.min((int) Math.ceil(image.width() * scaleH), width);
        }
        RgbImage scaled = Resizer.resize(image, Math.max(w, 1), Math.max(h, 1), filter);
        float[] mean = config.mean();
        byte[] fill = new byte[3];
        for (int c = 0; c < 3; c++) {
            fill[c] = (byte) Math.clamp(Math.round(mean[c] / config.rescale()), 0, 255);
        }
        return placedOn(scaled, width, height, (width - scaled.width()) / 2, (height - scaled.height()) / 2, fill);
    }

    /** A {@code width} x {@code height} canvas of {@code fill} with {@code image} at (x, y). */
    private static RgbImage placedOn(RgbImage image, int width, int height, int x, int y, byte[] fill) {
        byte[] canvas = new byte[width * height * 3];
        for (int i = 0; i < canvas.length; i += 3) {
            canvas[i] = fill[0];
            canvas[i + 1] = fill[1];
            canvas[i + 2] = fill[2];
        }
        byte[] pixels = image.toRgbBytes();
        int row = image.width() * 3;
        for (int line = 0; line < image.height(); line++) {
            System.arraycopy(pixels, line * row, canvas, ((y + line) * width + x) * 3, row);
        }
        return RgbImage.of(width, height, canvas);
    }
}
