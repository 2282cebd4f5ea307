package dev.kestrel.inference.vision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keys of the image embedding cache: the same bytes, model and tiling always give the same key;
 * anything that changes the features (another model file, policy or tile budget) another key.
 */
public final class ImageKey {

    private ImageKey() {}

    /**
     * @param contentHash SHA-256 of the image's bytes (or of a PDF's bytes with its page and DPI)
     * @param model       identifies the vision encoder: its file, size and modification time
     */
    public static String of(String contentHash, String model, TilingPolicy policy) {
        return contentHash + "|" + model + "|" + policy.name() + "|" + policy.settings().tileSize() + "x" + policy.settings().maxTiles()
                + (policy instanceof Idefics3Tiling idefics3 ? "|" + idefics3.longestEdge() + (idefics3.split() ? "" : "|whole") : "");
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
