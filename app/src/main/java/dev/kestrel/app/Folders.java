package dev.kestrel.app;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Whole folders on disk: their size, a copy, removal. Used by the data folder's move and the model library. */
public final class Folders {

    private Folders() {}

    /**
     * The bytes of the regular files under {@code path} (or of the file itself); 0 when it does not
     * exist. Files that cannot be read are left out rather than failing: the figure is for free-space
     * checks and listings, where a copy or a load would then name the unreadable file.
     */
    public static long size(Path path) {
        if (!Files.exists(path)) {
            return 0;
        }
        long[] total = {0};
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        total[0] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // walkFileTree reports failures to the visitor, which goes on; nothing reaches here
        }
        return total[0];
    }

    /**
     * Copies the tree under {@code source} into {@code target} (created as needed), replacing files
     * there, and returns the copied files' paths relative to {@code source}.
     */
    public static List<Path> copyTree(Path source, Path target) throws IOException {
        List<Path> copied = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = source.relativize(path);
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    copied.add(relative);
                }
            }
        }
        return copied;
    }

    /** Deletes {@code folder} and everything in it; nothing happens when it does not exist. */
    public static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
