package dev.kestrel.inference.vision;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Encoded images kept for reuse: a bounded LRU in memory, and optionally files in a folder
 * (under KESTREL_HOME), so that an image encoded when it was attached, asked about again, or
 * reopened after a restart costs no vision work. Keys come from {@link ImageKey}. The disk part is
 * best effort: a damaged or unwritable file only costs a re-encode.
 */
public final class ImageEmbeddingCache {

    private static final System.Logger LOG = System.getLogger(ImageEmbeddingCache.class.getName());
    private static final int MAGIC = 0x4b494d31; // "KIM1"
    public static final long DEFAULT_MEMORY_BYTES = 256L << 20;
    public static final long DEFAULT_DISK_BYTES = 2L << 30;

    private final long memoryBudget;
    private final Optional<Path> folder;
    private final long diskBudget;
    private final LinkedHashMap<String, EncodedImage> memory = new LinkedHashMap<>(16, 0.75f, true);
    private long memoryBytes;

    public ImageEmbeddingCache(long memoryBytes, Optional<Path> folder, long diskBytes) {
        this.memoryBudget = memoryBytes;
        this.folder = folder;
        this.diskBudget = diskBytes;
    }

    /** A cache in memory only. */
    public static ImageEmbeddingCache inMemory() {
        return new ImageEmbeddingCache(DEFAULT_MEMORY_BYTES, Optional.empty(), 0);
    }

    /** A cache in memory backed by files in {@code folder}, with the default budgets. */
    public static ImageEmbeddingCache onDisk(Path folder) {
        return new ImageEmbeddingCache(DEFAULT_MEMORY_BYTES, Optional.of(folder), DEFAULT_DISK_BYTES);
    }

    /** The image under {@code key}, from memory or disk, marked as costing no encode time. */
    public Optional<EncodedImage> get(String key) {
        synchronized (memory) {
            EncodedImage hit = memory.get(key);
            if (hit != null) {
                return Optional.of(hit.cached());
            }
        }
        Optional<EncodedImage> fromDisk = folder.flatMap(dir -> read(dir.resolve(fileName(key)), key));
        fromDisk.ifPresent(this::remember);
        return fromDisk.map(EncodedImage::cached);
    }

    public void put(EncodedImage image) {
        remember(image);
        folder.ifPresent(dir -> write(dir, image));
    }

    /** Images held in memory now. */
    public int sizeInMemory() {
        synchronized (memory) {
            return memory.size();
        }
    }

    private void remember(EncodedImage image) {
        long bytes = bytesOf(image);
        if (bytes > memoryBudget) {
            return;
        }
        synchronized (memory) {
            EncodedImage old = memory.put(image.key(), image);
            memoryBytes += bytes - (old == null ? 0 : bytesOf(old));
            var eldest = memory.entrySet().iterator();
            while (memoryBytes > memoryBudget && eldest.hasNext()) {
                memoryBytes -= bytesOf(eldest.next().getValue());
                eldest.remove();
            }
        }
    }

    private static long bytesOf(EncodedImage image) {
        return (long) image.features().length * Float.BYTES;
    }

    static String fileName(String key) {
        return ImageKey.sha256Hex(key) + ".emb";
    }

    private static Optional<EncodedImage> read(Path file, String key) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || !in.readUTF().equals(key)) {
                return Optional.empty();
            }
            TileGrid grid = new TileGrid(in.readInt(), in.readInt(), in.readBoolean());
            int tokens = in.readInt();
            int hidden = in.readInt();
            int count = in.readInt();
            byte[] bytes = in.readNBytes(count * Float.BYTES);
            if (bytes.length != count * Float.BYTES) {
                throw new IOException("the file ends early");
            }
            float[] features = new float[count];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(features);
            touch(file);
            return Optional.of(new EncodedImage(key, grid, tokens, hidden, features, 0));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "ignoring damaged image cache file " + file + ": " + e.getMessage());
            deleteQuietly(file);
            return Optional.empty();
        }
    }

    private void write(Path dir, EncodedImage image) {
        Path file = dir.resolve(fileName(image.key()));
        Path temp = dir.resolve(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId());
        try {
            Files.createDirectories(dir);
            try (OutputStream raw = Files.newOutputStream(temp); DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
                out.writeInt(MAGIC);
                out.writeUTF(image.key());
                out.writeInt(image.grid().cols());
                out.writeInt(image.grid().rows());
                out.writeBoolean(image.grid().thumbnail());
                out.writeInt(image.tokensPerTile());
                out.writeInt(image.hidden());
                out.writeInt(image.features().length);
                ByteBuffer bytes = ByteBuffer.allocate(image.features().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(image.features());
                out.write(bytes.array());
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            trim(dir);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot keep the encoded image in " + dir + " (" + e.getMessage() + "); it stays in memory only");
            deleteQuietly(temp);
        }
    }

    /** Deletes the least recently used files until the folder is within its budget. */
    private void trim(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".emb")).toList();
        }
        Map<Path, Long> sizes = new LinkedHashMap<>();
        long total = 0;
        for (Path f : files) {
            long size = Files.size(f);
            sizes.put(f, size);
            total += size;
        }
        if (total <= diskBudget) {
            return;
        }
        List<Path> oldestFirst = files.stream().sorted(Comparator.comparing(ImageEmbeddingCache::lastUsed)).toList();
        for (Path f : oldestFirst) {
            if (total <= diskBudget) {
                break;
            }
            total -= sizes.get(f);
            deleteQuietly(f);
        }
    }

    private static long lastUsed(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // Only the eviction order suffers.
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A stale file is re-encoded or overwritten next time.
        }
    }

}
