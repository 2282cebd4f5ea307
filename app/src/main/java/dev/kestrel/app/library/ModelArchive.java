package dev.kestrel.app.library;

import dev.kestrel.app.AppException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A model folder packed in a {@code .zip}, at an address ({@code https://host/path/NAME.zip},
 * with {@code #sha256=HEX} to check it by) or on disk. Unpacked with care: no entry may land
 * outside the folder, the unpacked size must fit the free space (a zip bomb is refused before it
 * fills the disk), and a single top-level folder holding the model is taken as the model.
 */
final class ModelArchive {

    private static final Pattern SHA256 = Pattern.compile("(?i)sha256=([0-9a-f]{64})");
    /** Entries that archivers add and a model never needs. */
    private static final Pattern JUNK = Pattern.compile("(^|/)(__MACOSX/.*|\\.DS_Store|Thumbs\\.db)$");

    private ModelArchive() {}

    /** Whether {@code spec} is the address of an archive rather than a Hugging Face model or its page. */
    static boolean isAddress(String spec) {
        String lower = spec.strip().toLowerCase(Locale.ROOT);
        return (lower.startsWith("https://") || lower.startsWith("http://")) && !HuggingFace.isModelPage(spec);
    }

    /** Whether {@code file} is an archive on disk to import. */
    static boolean isArchive(Path file) {
        return Files.isRegularFile(file) && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /** The address without its {@code #sha256=} part, checked: HTTPS (or HTTP to this machine), ending in {@code .zip}. */
    static URI address(String spec) {
        URI url;
        try {
            url = URI.create(spec.strip());
        } catch (IllegalArgumentException e) {
            throw new AppException("'" + spec + "' is not a valid address");
        }
        URI plain = URI.create(url.toString().replaceFirst("#.*$", ""));
        if (url.getPath() == null || !url.getPath().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            throw new AppException("Kestrel can add a model from an address only when it is a .zip of a model folder, not " + plain
                    + "; for Hugging Face, give the model's id or page");
        }
        Downloader.mustBeAllowed(plain);
        return plain;
    }

    /** The SHA-256 given after the address ({@code #sha256=HEX}), if any. */
    static Optional<Checksum> checksum(String spec) {
        int hash = spec.indexOf('#');
        if (hash < 0) {
            return Optional.empty();
        }
        Matcher m = SHA256.matcher(spec.substring(hash + 1));
        if (!m.find()) {
            throw new AppException("after '#' Kestrel expects sha256=HEX (64 hex digits), not '" + spec.substring(hash + 1) + "'");
        }
        return Optional.of(Checksum.sha256(m.group(1).toLowerCase(Locale.ROOT)));
    }

    /** The model's name: the archive's file name without {@code .zip}. */
    static String nameOf(String fileName) {
        String name = fileName.replaceFirst("(?i)\\.zip$", "").replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[.-]+", "");
        if (name.isBlank()) {
            throw new AppException("cannot name a model after '" + fileName + "'");
        }
        return name;
    }

    /**
     * Unpacks {@code zip} into {@code into}, which has {@code free} bytes of room, and returns the
     * files written, relative to {@code into}. When every entry sits in one top-level folder, that
     * folder's content is the model.
     */
    static List<Path> unpack(Path zip, Path into, long free) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            List<ZipEntry> entries = new ArrayList<>();
            long declared = 0;
            for (Enumeration<? extends ZipEntry> all = archive.entries(); all.hasMoreElements(); ) {
                ZipEntry entry = all.nextElement();
                String name = entry.getName().replace('\\', '/');
                if (entry.isDirectory() || JUNK.matcher(name).find()) {
                    continue;
                }
                if (name.startsWith("/") || name.contains(":") || List.of(name.split("/")).contains("..")) {
                    throw new AppException(zip.getFileName() + " holds '" + entry.getName() + "', which points outside the model folder; "
                            + "it was not unpacked");
                }
                entries.add(entry);
                declared += Math.max(0, entry.getSize());
            }
            if (entries.isEmpty()) {
                throw new AppException(zip.getFileName() + " holds no files");
            }
            if (declared > free) {
                throw new AppException(String.format(Locale.ROOT, "%s unpacks to %.2f GB, more than the %.2f GB free; make room first",
                        zip.getFileName(), declared / 1e9, free / 1e9));
            }
            String prefix = commonFolder(entries);
            List<Path> written = new ArrayList<>();
            long[] left = {free};
            for (ZipEntry entry : entries) {
                Path relative = Path.of(entry.getName().replace('\\', '/').substring(prefix.length()));
                Path target = into.resolve(relative.toString()).normalize();
                if (!target.startsWith(into)) {
                    throw new AppException(zip.getFileName() + " holds '" + entry.getName() + "', which points outside the model folder");
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = archive.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
                    copy(in, out, left, zip);
                }
                written.add(relative);
            }
            return written;
        } catch (ZipException e) {
            throw new AppException(zip.getFileName() + " is not a readable .zip archive (" + e.getMessage() + ")");
        }
    }

    /** Copies, refusing to write more than {@code left[0]} bytes in all (an archive that lies about its sizes). */
    private static void copy(InputStream in, OutputStream out, long[] left, Path zip) throws IOException {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            left[0] -= n;
            if (left[0] < 0) {
                throw new AppException(zip.getFileName() + " unpacks to more than the disk has free; it was not unpacked");
            }
            out.write(buffer, 0, n);
        }
    }

    /** {@code "folder/"} when every entry lies in that one top-level folder, else {@code ""}. */
    private static String commonFolder(List<ZipEntry> entries) {
        String first = entries.getFirst().getName().replace('\\', '/');
        int slash = first.indexOf('/');
        if (slash < 0) {
            return "";
        }
        String prefix = first.substring(0, slash + 1);
        return entries.stream().allMatch(e -> e.getName().replace('\\', '/').startsWith(prefix)) ? prefix : "";
    }
}
