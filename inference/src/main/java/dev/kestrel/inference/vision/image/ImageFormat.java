package dev.kestrel.inference.vision.image;

import java.util.Optional;

/**
 * The file formats Kestrel reads, told apart by their first bytes rather than by file name,
 * because a dropped file's extension says little (a .png that is a JPEG is common).
 */
public enum ImageFormat {
    PNG("png"),
    JPEG("jpeg"),
    WEBP("webp"),
    BMP("bmp"),
    GIF("gif");

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The format name ImageIO's reader registry knows it by. */
    String imageIoName() {
        return imageIoName;
    }

    /** The media type, e.g. image/png. */
    public String mimeType() {
        return "image/" + imageIoName;
    }

    /** The format whose signature {@code bytes} starts with, if any. */
    public static Optional<ImageFormat> sniff(byte[] bytes) {
        if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n')) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, 0, 0xff, 0xd8, 0xff)) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        if (startsWith(bytes, 0, 'G', 'I', 'F', '8') && (startsWith(bytes, 4, '7', 'a') || startsWith(bytes, 4, '9', 'a'))) {
            return Optional.of(GIF);
        }
        // "BM" alone is a weak signature; the BMP reader refuses what is not one, as damaged.
        if (startsWith(bytes, 0, 'B', 'M')) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int offset, int... signature) {
        if (bytes.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[offset + i] & 0xff) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
