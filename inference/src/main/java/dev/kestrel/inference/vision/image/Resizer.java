package dev.kestrel.inference.vision.image;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Resizes an {@link RgbImage} exactly as Pillow's {@code Image.resize(size, resample)} resizes an
 * 8-bit RGB image (Pillow 9.4, libImaging/Resample.c and Geometry.c; reimplemented, not ported),
 * because the vision encoder was trained on Pillow's pixels: a preprocessor that differs by one
 * step here and there feeds the model a picture it has never seen the like of.
 *
 * <p>Filters other than NEAREST are convolutions done in two separable passes, horizontal first,
 * each with fixed-point weights (22 fractional bits) computed once per axis, into an 8-bit
 * intermediate image as Pillow's. A pass whose axis keeps its size is skipped, as in Pillow.
 * NEAREST is Pillow's point sampling, with positions accumulated by repeated addition as Pillow
 * does: multiplying instead can land on the neighbouring pixel where the sum sits just across an
 * integer.
 */
public final class Resizer {

    /** Pillow's PRECISION_BITS: 32 - 8 (a sample) - 2 (headroom for weights beyond 0..1). */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);
    /** Output samples below which one thread beats splitting the work. */
    private static final long PARALLEL_SAMPLES = 1 << 18;

    private Resizer() {
    }

    /** {@code image} resized to width x height with {@code resampling}, as Pillow would. */
    public static RgbImage resize(RgbImage image, int width, int height, Resampling resampling) {
        return resize(image, width, height, resampling, true);
    }

    /** As {@link #resize(RgbImage, int, int, Resampling)}; {@code inParallel} false keeps it on the calling thread. */
    static RgbImage resize(RgbImage image, int width, int height, Resampling resampling, boolean inParallel) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("cannot resize to " + width + "x" + height + ": both sides need a pixel");
        }
        // The intermediate image is as tall as the input and as wide as the output.
        if (3L * width * Math.max(height, image.height()) > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cannot resize " + image.width() + "x" + image.height() + " to " + width + "x"
                    + height + ": too many pixels for one array");
        }
        if (width == image.width() && height == image.height()) {
            return image; // Pillow returns a copy; an RgbImage is immutable, so the image itself will do.
        }
        if (resampling == Resampling.NEAREST) {
            return nearest(image, width, height);
        }
        Kernel horizontal = Kernel.of(image.width(), width, resampling);
        Kernel vertical = Kernel.of(image.height(), height, resampling);
        byte[] pixels = image.pixels();
        int rows = image.height();
        int firstRow = 0;
        if (width != image.width()) {
            // Only the rows the vertical pass will read: [first row of the first output row's
            // window, end of the last one's).
            firstRow = vertical.first[0];
            int endRow = vertical.first[height - 1] + vertical.count[height - 1];
            pixels = horizontalPass(pixels, image.width(), firstRow, endRow, width, horizontal, inParallel);
            rows = endRow - firstRow;
        }
        if (height != image.height()) {
            pixels = verticalPass(pixels, width, firstRow, height, vertical, inParallel);
            rows = height;
        }
        return RgbImage.wrap(width, rows, pixels);
    }

    /**
     * One axis's filter windows: output pixel i reads {@code count[i]} input pixels from
     * {@code first[i]} on, with the fixed-point weights {@code weights[i * taps ...]}.
     */
    private record Kernel(int[] first, int[] count, int[] weights, int taps) {

        /** Pillow's precompute_coeffs + normalize_coeffs_8bpc, for the whole input (no box). */
        static Kernel of(int inSize, int outSize, Resampling filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0); // shrinking widens the filter; enlarging does not narrow it
            double support = filter.support() * filterScale;
            int taps = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * taps];
            double[] k = new double[taps];
            double inverseScale = 1.0 / filterScale;
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                // (int) truncates toward zero, as C's cast does; the + 0.5 rounds the window's edges.
                int min = Math.max((int) (center - support + 0.5), 0);
                int n = Math.min((int) (center + support + 0.5), inSize) - min;
                double sum = 0.0;
                for (int x = 0; x < n; x++) {
                    double w = filter.weight((x + min - center + 0.5) * inverseScale);
                    k[x] = w;
                    sum += w;
                }
                for (int x = 0; x < n; x++) {
                    double normalized = sum != 0.0 ? k[x] / sum : k[x];
                    double scaled = normalized * (1 << PRECISION_BITS);
                    // Rounded half away from zero, then truncated: Pillow's (int)(±0.5 + k * 2^22).
                    weights[i * taps + x] = normalized < 0 ? (int) (-0.5 + scaled) : (int) (0.5 + scaled);
                }
                first[i] = min;
                count[i] = n;
            }
            return new Kernel(first, count, weights, taps);
        }
    }

    /** Rows [firstRow, endRow) of the input, each filtered horizontally to outWidth pixels. */
    private static byte[] horizontalPass(byte[] in, int inWidth, int firstRow, int endRow, int outWidth, Kernel kernel,
            boolean inParallel) {
        int rows = endRow - firstRow;
        byte[] out = new byte[rows * outWidth * 3];
        int[] first = kernel.first;
        int[] count = kernel.count;
        int[] weights = kernel.weights;
        int taps = kernel.taps;
        inBands(rows, inParallel && (long) rows * outWidth * 3 >= PARALLEL_SAMPLES, (from, to) -> {
            for (int row = from; row < to; row++) {
                int inRow = (firstRow + row) * inWidth * 3;
                int o = row * outWidth * 3;
                for (int x = 0; x < outWidth; x++) {
                    int p = inRow + first[x] * 3;
                    int w = x * taps;
                    int r = HALF;
                    int g = HALF;
                    int b = HALF;
                    for (int end = w + count[x]; w < end; w++, p += 3) {
                        int weight = weights[w];
                        r += (in[p] & 0xff) * weight;
                        g += (in[p + 1] & 0xff) * weight;
                        b += (in[p + 2] & 0xff) * weight;
                    }
                    out[o++] = clip8(r);
                    out[o++] = clip8(g);
                    out[o++] = clip8(b);
                }
            }
        });
        return out;
    }

    /**
     * The image (whose row 0 is input row {@code firstRow}) filtered vertically to outHeight rows.
     * Each output row accumulates whole input rows, one weight at a time, into an int row: the
     * same integer sums as Pillow's pixel-by-pixel loop, read in memory order.
     */
    private static byte[] verticalPass(byte[] in, int width, int firstRow, int outHeight, Kernel kernel, boolean inParallel) {
        int rowBytes = width * 3;
        byte[] out = new byte[outHeight * rowBytes];
        int[] first = kernel.first;
        int[] count = kernel.count;
        int[] weights = kernel.weights;
        int taps = kernel.taps;
        inBands(outHeight, inParallel && (long) outHeight * rowBytes >= PARALLEL_SAMPLES, (from, to) -> {
            int[] sums = new int[rowBytes];
            for (int y = from; y < to; y++) {
                Arrays.fill(sums, HALF);
                for (int i = 0; i < count[y]; i++) {
                    int weight = weights[y * taps + i];
                    int inRow = (first[y] - firstRow + i) * rowBytes;
                    for (int c = 0; c < rowBytes; c++) {
                        sums[c] += (in[inRow + c] & 0xff) * weight;
                    }
                }
                int o = y * rowBytes;
                for (int c = 0; c < rowBytes; c++) {
                    out[o + c] = clip8(sums[c]);
                }
            }
        });
        return out;
    }

    /** Pillow's clip8: drop the fraction (arithmetic shift, so negatives stay negative), then clamp. */
    private static byte clip8(int sum) {
        int value = sum >> PRECISION_BITS;
        return (byte) (value < 0 ? 0 : Math.min(value, 255));
    }

    private static RgbImage nearest(RgbImage image, int width, int height) {
        int[] sourceX = nearestSources(image.width(), width);
        int[] sourceY = nearestSources(image.height(), height);
        byte[] in = image.pixels();
        int inRowBytes = image.width() * 3;
        byte[] out = new byte[width * height * 3];
        for (int y = 0, o = 0; y < height; y++) {
            int inRow = sourceY[y] * inRowBytes;
            for (int x = 0; x < width; x++, o += 3) {
                if (sourceY[y] >= 0 && sourceX[x] >= 0) {
                    int p = inRow + sourceX[x] * 3;
                    out[o] = in[p];
                    out[o + 1] = in[p + 1];
                    out[o + 2] = in[p + 2];
                }
            }
        }
        return RgbImage.wrap(width, height, out);
    }

    /**
     * Pillow's ImagingScaleAffine: the source of output pixel i is floor(scale / 2 + i * scale),
     * the sum accumulated one step at a time. A source past the edge (rounding can put one there)
     * stays black, as Pillow's zero-filled output does; -1 marks it.
     */
    private static int[] nearestSources(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double position = scale * 0.5;
        int[] sources = new int[outSize];
        for (int i = 0; i < outSize; i++) {
            int source = position < 0.0 ? -1 : (int) position;
            sources[i] = source < inSize ? source : -1;
            position += scale;
        }
        return sources;
    }

    @FunctionalInterface
    private interface RowRange {
        void run(int from, int to);
    }

    /**
     * Runs body over [0, rows): at once, or in bands on the common pool. Each band writes its own
     * rows, so the bytes are the same either way.
     */
    private static void inBands(int rows, boolean inParallel, RowRange body) {
        int threads = ForkJoinPool.getCommonPoolParallelism() + 1; // the caller works too
        int bands = !inParallel || threads < 2 ? 1 : Math.min(rows, threads * 4);
        if (bands == 1) {
            body.run(0, rows);
            return;
        }
        IntStream.range(0, bands).parallel()
                .forEach(band -> body.run((int) ((long) rows * band / bands), (int) ((long) rows * (band + 1) / bands)));
    }
}
