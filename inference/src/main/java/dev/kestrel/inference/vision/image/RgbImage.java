package dev.kestrel.inference.vision.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * A decoded picture as the vision pipeline sees it: 8-bit RGB, no alpha, interleaved and
 * row-major ({@code [height, width, 3]}), as Pillow's RGB mode and transformers' numpy arrays.
 * Immutable: the pixel array never leaves this package uncopied.
 */
public final class RgbImage {

    /**
     * Pillow's {@code alpha_composite} of a straight-alpha pixel over opaque white, for every
     * (value, alpha): {@code [alpha << 8 | value]}. Computed with Pillow's own integer steps (7
     * extra bits of precision, division by 255 as shifts) rather than a formula of ours: over an
     * opaque background they come to (value * alpha + 255 * (255 - alpha)) / 255 rounded half up,
     * and the test against Pillow's output for all 65536 pairs keeps it that way.
     */
    private static final byte[] OVER_WHITE = overWhiteTable();

    private final int width;
    private final int height;
    private final byte[] rgb; // [height, width, 3]

    private RgbImage(int width, int height, byte[] rgb) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /** An image of the given interleaved RGB bytes, copied. */
    public static RgbImage of(int width, int height, byte[] rgb) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("an image is at least 1x1 pixels, not " + width + "x" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException(width + "x" + height + " RGB pixels take " + (long) width * height * 3
                    + " bytes, not " + rgb.length);
        }
        return new RgbImage(width, height, rgb.clone());
    }

    /** Takes ownership of {@code rgb}, which the caller made for this image and no longer touches. */
    static RgbImage wrap(int width, int height, byte[] rgb) {
        return new RgbImage(width, height, rgb);
    }

    /**
     * The picture in any BufferedImage, as transformers' {@code convert_to_rgb} makes it: alpha is
     * composited over opaque white with Pillow's {@code alpha_composite} arithmetic, then dropped.
     * Samples are read as stored, without colour management, because Pillow ignores embedded ICC
     * profiles and Java would otherwise convert (gray, for one, through a gamma curve). 16-bit
     * samples keep their high byte, as Pillow does for 16-bit RGB(A) PNGs.
     */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        ColorModel model = image.getColorModel();
        if (model instanceof IndexColorModel palette) {
            readPalette(image.getRaster(), palette, rgb);
        } else if (isPlainComponents(model, image.getRaster())) {
            readComponents(image.getRaster(), model, rgb);
        } else {
            readThroughColorModel(image, rgb);
        }
        return new RgbImage(width, height, rgb);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The pixel at (x, y) as {@code 0xRRGGBB}. */
    public int rgb(int x, int y) {
        checkPoint(x, y);
        int i = (y * width + x) * 3;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | rgb[i + 2] & 0xff;
    }

    /** One sample, {@code channel} 0 red, 1 green, 2 blue, 0-255. */
    public int sample(int x, int y, int channel) {
        checkPoint(x, y);
        if (channel < 0 || channel > 2) {
            throw new IndexOutOfBoundsException("channel " + channel + " is not 0 (red), 1 (green) or 2 (blue)");
        }
        return rgb[(y * width + x) * 3 + channel] & 0xff;
    }

    /** A copy of the pixels, {@code [height, width, 3]}. */
    public byte[] toRgbBytes() {
        return rgb.clone();
    }

    /** The pixels, shared with this image: for this package's own code, which never writes them. */
    byte[] pixels() {
        return rgb;
    }

    /** The w x h rectangle whose top left corner is (x, y); it must lie inside this image. */
    public RgbImage crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w < 1 || h < 1 || (long) x + w > width || (long) y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + x + ", " + y + ") does not fit in a "
                    + width + "x" + height + " image");
        }
        byte[] out = new byte[w * h * 3];
        for (int row = 0; row < h; row++) {
            System.arraycopy(rgb, ((y + row) * width + x) * 3, out, row * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }

    /** An opaque {@code TYPE_INT_RGB} copy, for looking at in tests and while debugging. */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] packed = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0, p = 0; i < packed.length; i++, p += 3) {
            packed[i] = (rgb[p] & 0xff) << 16 | (rgb[p + 1] & 0xff) << 8 | rgb[p + 2] & 0xff;
        }
        return image;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RgbImage that && width == that.width && height == that.height
                && Arrays.equals(rgb, that.rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }

    private void checkPoint(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ") is outside a " + width + "x" + height + " image");
        }
    }

    // --- reading BufferedImages ------------------------------------------------------------------

    private static byte[] overWhiteTable() {
        final int precisionBits = 7;
        byte[] table = new byte[256 * 256];
        for (int alpha = 0; alpha < 256; alpha++) {
            for (int value = 0; value < 256; value++) {
                int out;
                if (alpha == 0) {
                    out = 255;
                } else {
                    int blend = 255 * (255 - alpha);
                    int outa255 = alpha * 255 + blend;
                    int coef1 = alpha * 255 * 255 * (1 << precisionBits) / outa255;
                    int coef2 = 255 * (1 << precisionBits) - coef1;
                    int tmp = value * coef1 + 255 * coef2 + (0x80 << precisionBits);
                    out = ((tmp >> 8) + tmp) >> 8 >> precisionBits;
                }
                table[alpha << 8 | value] = (byte) out;
            }
        }
        return table;
    }

    static int overWhite(int value, int alpha) {
        return OVER_WHITE[alpha << 8 | value] & 0xff;
    }

    private static void readPalette(Raster raster, IndexColorModel palette, byte[] rgb) {
        // A damaged file may index past the palette; Pillow's palettes are zero-filled there.
        int entries = 1 << Math.max(8, palette.getPixelSize());
        byte[] lookup = new byte[entries * 3];
        for (int i = 0; i < Math.min(entries, palette.getMapSize()); i++) {
            int alpha = palette.getAlpha(i);
            lookup[i * 3] = (byte) overWhite(palette.getRed(i), alpha);
            lookup[i * 3 + 1] = (byte) overWhite(palette.getGreen(i), alpha);
            lookup[i * 3 + 2] = (byte) overWhite(palette.getBlue(i), alpha);
        }
        int width = raster.getWidth();
        int[] row = new int[width];
        for (int y = 0, out = 0; y < raster.getHeight(); y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
            for (int x = 0; x < width; x++, out += 3) {
                System.arraycopy(lookup, (row[x] & (entries - 1)) * 3, rgb, out, 3);
            }
        }
    }

    /** Straight (not premultiplied) gray or RGB samples of 8 or 16 bits, with or without alpha. */
    private static boolean isPlainComponents(ColorModel model, Raster raster) {
        if (!(model instanceof ComponentColorModel) || model.isAlphaPremultiplied()) {
            return false;
        }
        int type = model.getColorSpace().getType();
        int colours = model.getNumColorComponents();
        boolean rgbOrGray = type == ColorSpace.TYPE_RGB && colours == 3 || type == ColorSpace.TYPE_GRAY && colours == 1;
        int transfer = raster.getTransferType();
        if (!rgbOrGray || transfer != DataBuffer.TYPE_BYTE && transfer != DataBuffer.TYPE_USHORT
                || raster.getNumBands() != model.getNumComponents()) {
            return false;
        }
        for (int size : model.getComponentSize()) {
            if (size != 8 && size != 16) {
                return false;
            }
        }
        return true;
    }

    private static void readComponents(Raster raster, ColorModel model, byte[] rgb) {
        int width = raster.getWidth();
        int bands = raster.getNumBands();
        boolean gray = model.getNumColorComponents() == 1;
        boolean alpha = model.hasAlpha();
        int[] shift = new int[bands];
        for (int b = 0; b < bands; b++) {
            shift[b] = model.getComponentSize(b) - 8;
        }
        int[] row = new int[width * bands];
        for (int y = 0, out = 0; y < raster.getHeight(); y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0, in = 0; x < width; x++, in += bands, out += 3) {
                int r = row[in] >> shift[0];
                int g = gray ? r : row[in + 1] >> shift[1];
                int b = gray ? r : row[in + 2] >> shift[2];
                if (alpha) {
                    int a = row[in + bands - 1] >> shift[bands - 1];
                    r = overWhite(r, a);
                    g = overWhite(g, a);
                    b = overWhite(b, a);
                }
                rgb[out] = (byte) r;
                rgb[out + 1] = (byte) g;
                rgb[out + 2] = (byte) b;
            }
        }
    }

    /** Anything else (packed ints, premultiplied alpha, CMYK, odd colour spaces): Java converts to sRGB. */
    private static void readThroughColorModel(BufferedImage image, byte[] rgb) {
        int width = image.getWidth();
        int[] row = new int[width];
        for (int y = 0, out = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++, out += 3) {
                int argb = row[x];
                int a = argb >>> 24;
                rgb[out] = (byte) overWhite(argb >> 16 & 0xff, a);
                rgb[out + 1] = (byte) overWhite(argb >> 8 & 0xff, a);
                rgb[out + 2] = (byte) overWhite(argb & 0xff, a);
            }
        }
    }
}
