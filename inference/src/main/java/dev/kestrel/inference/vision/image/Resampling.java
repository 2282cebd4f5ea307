package dev.kestrel.inference.vision.image;

/**
 * Pillow's resampling filters, by the numbers Pillow gives them: the values of
 * {@code PIL.Image.Resampling}, which a preprocessor_config.json's {@code "resample"} holds.
 * The filter functions are Pillow's (libImaging/Resample.c) to the last floating-point
 * operation, because a different rounding of one weight can move an output pixel by one.
 */
public enum Resampling {
    /** Point sampling: each output pixel copies one input pixel. */
    NEAREST(0, 0.0),
    /** Windowed sinc, a = 3. */
    LANCZOS(1, 3.0),
    /** Triangle filter: linear interpolation when enlarging, averaging when shrinking. */
    BILINEAR(2, 1.0),
    /** Keys' cubic convolution, a = -0.5. */
    BICUBIC(3, 2.0),
    /** Each output pixel averages the input pixels it covers. */
    BOX(4, 0.5),
    /** Sinc windowed by a Hamming window over one pixel. */
    HAMMING(5, 1.0);

    private final int pillowCode;
    private final double support;

    Resampling(int pillowCode, double support) {
        this.pillowCode = pillowCode;
        this.support = support;
    }

    /** The value of {@code PIL.Image.Resampling} for this filter. */
    public int pillowCode() {
        return pillowCode;
    }

    public static Resampling fromPillowCode(int code) {
        for (Resampling resampling : values()) {
            if (resampling.pillowCode == code) {
                return resampling;
            }
        }
        throw new IllegalArgumentException("resample " + code + " is not one of Pillow's filters (0 nearest, 1 lanczos,"
                + " 2 bilinear, 3 bicubic, 4 box, 5 hamming)");
    }

    /** How far from its centre, in input pixels at scale 1, the filter reaches. */
    double support() {
        return support;
    }

    /** The filter's weight at distance {@code x} (in input pixels at scale 1). */
    double weight(double x) {
        return switch (this) {
            case NEAREST -> throw new IllegalStateException("nearest samples points; it has no filter weights");
            case LANCZOS -> -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
            case BILINEAR -> Math.abs(x) < 1.0 ? 1.0 - Math.abs(x) : 0.0;
            case BICUBIC -> bicubic(Math.abs(x));
            case BOX -> x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            case HAMMING -> hamming(Math.abs(x));
        };
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = x * Math.PI;
        // StrictMath: fdlibm's sin, a fixed and correctly rounded-or-nearly result on every JVM.
        return StrictMath.sin(px) / px;
    }

    private static double bicubic(double x) {
        final double a = -0.5;
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    private static double hamming(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        double px = x * Math.PI;
        // Pillow writes the window's constants as C floats (0.54f, 0.46f); so does this.
        return StrictMath.sin(px) / px * ((double) 0.54f + (double) 0.46f * StrictMath.cos(px));
    }
}
