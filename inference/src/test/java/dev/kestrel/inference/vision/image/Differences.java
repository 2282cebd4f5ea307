package dev.kestrel.inference.vision.image;

/** How far apart two same-sized images are, sample by sample. */
record Differences(int max, double mean, long samplesOff, long samples) {

    static Differences between(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new AssertionError(a + " and " + b + " differ in size");
        }
        byte[] x = a.toRgbBytes();
        byte[] y = b.toRgbBytes();
        int max = 0;
        long sum = 0;
        long off = 0;
        for (int i = 0; i < x.length; i++) {
            int d = Math.abs((x[i] & 0xff) - (y[i] & 0xff));
            max = Math.max(max, d);
            sum += d;
            off += d == 0 ? 0 : 1;
        }
        return new Differences(max, (double) sum / x.length, off, x.length);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "max %d, mean %.4f, %d of %d samples differ", max, mean, samplesOff, samples);
    }
}
