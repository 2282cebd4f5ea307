package dev.kestrel.app.chat;

import dev.kestrel.app.AppException;
import dev.kestrel.inference.vision.image.Resampling;
import dev.kestrel.inference.vision.image.Resizer;
import dev.kestrel.inference.vision.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A small picture of an attached image or page, for the window to show: opaque ARGB pixels, row by
 * row, at most {@link #SIDE} pixels on the longer side.
 *
 * @param argb [height, width] pixels as 0xAARRGGBB
 */
public record Thumbnail(int width, int height, int[] argb) {

    public static final int SIDE = 160;

    public Thumbnail {
        if (argb.length != width * height) {
            throw new IllegalArgumentException(width + "x" + height + " pixels, not " + argb.length);
        }
    }

    /** Opaque ARGB pixels, row by row, as a PNG file's bytes. */
    static byte[] png(int width, int height, int[] argb) {
        if (width < 1 || height < 1 || argb.length != (long) width * height) {
            throw new AppException("the pasted picture is empty or damaged (" + width + "x" + height + ")");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, argb, 0, width);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pasted picture as PNG", e);
        }
        return out.toByteArray();
    }

    static Thumbnail of(RgbImage image) {
        double scale = Math.min(1.0, (double) SIDE / Math.max(image.width(), image.height()));
        int width = Math.max(1, (int) Math.round(image.width() * scale));
        int height = Math.max(1, (int) Math.round(image.height() * scale));
        RgbImage small = scale == 1.0 ? image : Resizer.resize(image, width, height, Resampling.BILINEAR);
        int[] argb = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                argb[y * width + x] = 0xFF000000 | small.rgb(x, y);
            }
        }
        return new Thumbnail(width, height, argb);
    }
}
