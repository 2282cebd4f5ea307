package dev.kestrel.app.library;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a downloaded file must hash to. Hugging Face gives the SHA-256 of files kept in Git LFS (the
 * weights), and for the small files kept in git itself their git blob id: the SHA-1 of {@code
 * "blob <size>\0"} and the content.
 */
public record Checksum(Kind kind, String hex) {

    public enum Kind { SHA256, GIT_BLOB_SHA1 }

    public Checksum {
        hex = hex.toLowerCase(Locale.ROOT);
        int length = kind == Kind.SHA256 ? 64 : 40;
        if (hex.length() != length || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("'" + hex + "' is not a " + kind + " checksum");
        }
    }

    public static Checksum sha256(String hex) {
        return new Checksum(Kind.SHA256, hex);
    }

    public static Checksum gitBlob(String hex) {
        return new Checksum(Kind.GIT_BLOB_SHA1, hex);
    }

    /** The SHA-256 of {@code file}. */
    public static Checksum sha256Of(Path file) throws IOException {
        return sha256(digest(Kind.SHA256, file));
    }

    /** The same kind of checksum, of {@code file}. */
    public String of(Path file) throws IOException {
        return digest(kind, file);
    }

    private static String digest(Kind kind, Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(kind == Kind.SHA256 ? "SHA-256" : "SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (kind == Kind.GIT_BLOB_SHA1) {
            digest.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** As written in a model's source file: {@code sha256:…} or {@code git-sha1:…}. */
    public String text() {
        return (kind == Kind.SHA256 ? "sha256:" : "git-sha1:") + hex;
    }

    public static Checksum parse(String text) {
        if (text.startsWith("sha256:")) {
            return sha256(text.substring(7));
        }
        if (text.startsWith("git-sha1:")) {
            return gitBlob(text.substring(9));
        }
        throw new IllegalArgumentException("'" + text + "' is not a checksum");
    }
}
