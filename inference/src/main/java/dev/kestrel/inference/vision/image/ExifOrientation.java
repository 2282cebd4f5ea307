package dev.kestrel.inference.vision.image;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The EXIF Orientation tag (1-8): how a camera's stored pixels must be flipped or turned to stand
 * upright. Applied as Pillow's {@code ImageOps.exif_transpose}, which transformers' load_image
 * calls. Each value is one transpose: optionally swap the axes, then mirror x and/or y.
 */
enum ExifOrientation {
    NORMAL(false, false, false),
    MIRROR_HORIZONTAL(false, true, false),
    ROTATE_180(false, true, true),
    MIRROR_VERTICAL(false, false, true),
    TRANSPOSE(true, false, false),
    ROTATE_90_CLOCKWISE(true, false, true),
    TRANSVERSE(true, true, true),
    ROTATE_90_COUNTERCLOCKWISE(true, true, false);

    private final boolean swapAxes;
    private final boolean mirrorX;
    private final boolean mirrorY;

    ExifOrientation(boolean swapAxes, boolean mirrorX, boolean mirrorY) {
        this.swapAxes = swapAxes;
        this.mirrorX = mirrorX;
        this.mirrorY = mirrorY;
    }

    /** The orientation for an EXIF value: the constants are in tag order, 1 to 8. */
    static ExifOrientation ofTagValue(int value) {
        // Pillow leaves the picture alone for values outside 1-8, and so does Kestrel.
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    }

    /**
     * The orientation in a JPEG's first Exif APP1 segment (IFD0), as Pillow's getexif() reads it.
     * A missing or unreadable EXIF block means NORMAL: the picture itself decoded, and a camera's
     * broken metadata should not make it unusable.
     */
    static ExifOrientation readFromJpeg(byte[] jpeg) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (segments.isEmpty()) {
                return NORMAL;
            }
            byte[] exif;
            try (InputStream data = segments.getFirst().data()) {
                exif = data.readAllBytes();
            }
            // data() starts after "Exif\0"; one pad byte comes before the TIFF header.
            if (exif.length < 2) {
                return NORMAL;
            }
            try (ImageInputStream tiff = new MemoryCacheImageInputStream(new ByteArrayInputStream(exif, 1, exif.length - 1))) {
                Directory directory = new TIFFReader().read(tiff);
                Directory ifd0 = directory instanceof CompoundDirectory compound ? compound.getDirectory(0) : directory;
                Entry entry = ifd0.getEntryById(TIFF.TAG_ORIENTATION);
                return entry != null && entry.getValue() instanceof Number value ? ofTagValue(value.intValue()) : NORMAL;
            }
        } catch (IOException | RuntimeException unreadable) {
            return NORMAL;
        }
    }

    /** The upright picture. */
    RgbImage apply(RgbImage image) {
        if (this == NORMAL) {
            return image;
        }
        int inWidth = image.width();
        int inHeight = image.height();
        int outWidth = swapAxes ? inHeight : inWidth;
        int outHeight = swapAxes ? inWidth : inHeight;
        byte[] in = image.pixels();
        byte[] out = new byte[in.length];
        for (int y = 0, o = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++, o += 3) {
                int u = swapAxes ? y : x;
                int v = swapAxes ? x : y;
                int sourceX = mirrorX ? inWidth - 1 - u : u;
                int sourceY = mirrorY ? inHeight - 1 - v : v;
                int p = (sourceY * inWidth + sourceX) * 3;
                out[o] = in[p];
                out[o + 1] = in[p + 1];
                out[o + 2] = in[p + 2];
            }
        }
        return RgbImage.wrap(outWidth, outHeight, out);
    }
}
