package dev.kestrel.inference.vision.image;

import dev.kestrel.inference.InvalidRequestException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads a PNG, JPEG, WebP, BMP or GIF (first frame) into an {@link RgbImage}, as transformers'
 * load_image + convert_to_rgb see it: JPEGs turned upright by their EXIF orientation, alpha
 * composited over white. JPEG and WebP go through TwelveMonkeys' ImageIO plugins, the others
 * through the JDK's readers.
 *
 * <p>Every failure is an {@link InvalidRequestException} whose one-line message names the image
 * by the display name the caller gives (the file name, not a path a person never typed). The
 * header's dimensions are checked against a pixel limit before any pixel is decoded, so a small
 * file that declares a gigantic picture (a decompression bomb) costs nothing. Instances are
 * immutable and safe to share between threads.
 */
public final class ImageDecoder {

    /** 50 megapixels: above any phone camera's picture, far below what exhausts a desktop's memory. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private static final String ENDS_EARLY = "the file ends before the picture does";

    private final long maxPixels;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("the pixel limit must be positive, not " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** Reads {@code file}; messages name it by its file name. */
    public RgbImage decode(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        byte[] bytes;
        try {
            // Even an uncompressed BMP at the limit is 4 bytes a pixel; anything far larger is not
            // worth reading into memory to find out.
            long size = Files.size(file);
            long largest = maxPixels * 4 + (16 << 20);
            if (size > largest) {
                throw new InvalidRequestException("image '" + name + "' is a " + megabytes(size) + " file; Kestrel reads image files up to "
                        + megabytes(largest));
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException missing) {
            throw new InvalidRequestException("image '" + name + "' does not exist", missing);
        } catch (IOException unreadable) {
            throw new InvalidRequestException("image '" + name + "' cannot be read: " + unreadable.getMessage(), unreadable);
        }
        return decode(bytes, name);
    }

    /** Reads an image held in memory; {@code displayName} names it in messages. */
    public RgbImage decode(byte[] bytes, String displayName) {
        if (bytes.length == 0) {
            throw new InvalidRequestException("image '" + displayName + "' is empty");
        }
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new InvalidRequestException(
                "image '" + displayName + "' is not a PNG, JPEG, WebP, BMP or GIF"));
        RgbImage image = RgbImage.fromBufferedImage(readFirstImage(bytes, format, displayName));
        return format == ImageFormat.JPEG ? ExifOrientation.readFromJpeg(bytes).apply(image) : image;
    }

    private BufferedImage readFirstImage(byte[] bytes, ImageFormat format, String displayName) {
        // TwelveMonkeys' lossless WebP decoder reads a cut-off file to the end without a word;
        // libwebp, and so Pillow, refuse one shorter than its RIFF header says.
        if (format == ImageFormat.WEBP && shorterThanRiffSays(bytes)) {
            throw damaged(displayName, ENDS_EARLY, null);
        }
        ImageReader reader = readerFor(format);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, false, false);
            // Only the header is read so far: refuse a decompression bomb before it allocates.
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width < 1 || height < 1) {
                throw damaged(displayName, "it declares a " + width + "x" + height + " picture", null);
            }
            long pixels = (long) width * height;
            if (pixels > maxPixels) {
                throw new InvalidRequestException("image '" + displayName + "' is " + width + "x" + height + " pixels ("
                        + megapixels(pixels) + "); Kestrel reads images up to " + megapixels(maxPixels));
            }
            BufferedImage image = reader.read(0);
            // The JPEG reader fills a cut-off file with gray and only warns ("Truncated File -
            // Missing EOI marker", libjpeg's "premature end of data segment"); Pillow refuses such
            // a file ("image file is truncated"), and a half-gray photo is not what was sent.
            for (String warning : warnings) {
                String lower = warning.toLowerCase(Locale.ROOT);
                if (lower.contains("missing eoi marker") || lower.contains("premature end")) {
                    throw damaged(displayName, ENDS_EARLY, null);
                }
            }
            return image;
        } catch (InvalidRequestException alreadyPlain) {
            throw alreadyPlain;
        } catch (IOException | RuntimeException broken) {
            // Readers throw IIOException, EOFException, and on crafted input also runtime exceptions
            // (array indexes, negative sizes); all mean the same to the person: the file is broken.
            // A cut-off download is the common case, and worth saying in words.
            throw damaged(displayName, endsEarly(bytes, format) ? ENDS_EARLY : reason(broken), broken);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Whether the file stops short of where its own structure says it ends: a PNG without its
     * IEND chunk, a JPEG without its end-of-image marker, a GIF without its trailer byte, a WebP
     * or BMP shorter than the size in its header. Asked when a reader has failed, which it reports
     * as whatever it tripped over ("Invalid chunk length 3641"); the plain cause is more useful.
     */
    private static boolean endsEarly(byte[] bytes, ImageFormat format) {
        int n = bytes.length;
        return switch (format) {
            case PNG -> !containsIend(bytes);
            case JPEG -> n < 2 || (bytes[n - 2] & 0xff) != 0xff || (bytes[n - 1] & 0xff) != 0xd9;
            case GIF -> bytes[n - 1] != 0x3b;
            case WEBP -> shorterThanRiffSays(bytes);
            case BMP -> n >= 6 && n < littleEndianInt(bytes, 2);
        };
    }

    private static boolean shorterThanRiffSays(byte[] bytes) {
        return bytes.length >= 8 && bytes.length < 8 + littleEndianInt(bytes, 4);
    }

    private static boolean containsIend(byte[] bytes) {
        for (int i = bytes.length - 8; i >= 8; i--) {
            if (bytes[i] == 'I' && bytes[i + 1] == 'E' && bytes[i + 2] == 'N' && bytes[i + 3] == 'D') {
                return true;
            }
        }
        return false;
    }

    private static long littleEndianInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xffL) | (bytes[offset + 1] & 0xffL) << 8 | (bytes[offset + 2] & 0xffL) << 16
                | (bytes[offset + 3] & 0xffL) << 24;
    }

    private static ImageReader readerFor(ImageFormat format) {
        // TwelveMonkeys' plugins rank themselves ahead of the JDK's JPEG reader in the registry.
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format + " on the class path");
        }
        return readers.next();
    }

    private static InvalidRequestException damaged(String displayName, String reason, Throwable cause) {
        return new InvalidRequestException("image '" + displayName + "' is damaged: " + reason, cause);
    }

    /** What the reader said, as one line: its own message and, if different, the root cause's. */
    private static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return ENDS_EARLY;
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = oneLine(failure);
        String bottom = oneLine(root);
        return root == failure || bottom.equals(top) ? top : top + " (" + bottom + ")";
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return message.strip().lines().findFirst().orElse(message);
    }

    /** Rounded up to a tenth, so that a picture just over the limit never reads as equal to it. */
    private static String megapixels(long pixels) {
        double millions = Math.ceil(pixels / 1e5) / 10;
        String number = millions == Math.rint(millions)
                ? Long.toString((long) millions)
                : String.format(Locale.ROOT, "%.1f", millions);
        return number + " megapixels";
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }
}
