package dev.kestrel.inference.vision;

import dev.kestrel.inference.vision.image.ImageDecoder;
import dev.kestrel.inference.vision.image.RgbImage;
import java.util.function.Supplier;

/**
 * An image to encode: a name for messages, a hash of what it is made from (for the embedding
 * cache), and its pixels, decoded only when the cache does not have it already.
 *
 * @param contentHash SHA-256 (hex) of the bytes the pixels come from
 */
public record ImageInput(String name, String contentHash, Supplier<RgbImage> pixels) {

    /** An image file's bytes: PNG, JPEG, WebP, BMP or GIF. */
    public static ImageInput ofBytes(String name, byte[] bytes) {
        byte[] copy = bytes.clone();
        return new ImageInput(name, ImageKey.sha256Hex(copy), () -> new ImageDecoder().decode(copy, name));
    }

    /** Pixels made some other way (a PDF page, a clipboard image), keyed by what they were made from. */
    public static ImageInput ofPixels(String name, String contentHash, RgbImage pixels) {
        return new ImageInput(name, contentHash, () -> pixels);
    }
}
