package dev.kestrel.inference.vision;

import dev.kestrel.inference.ModelFolderException;
import dev.kestrel.inference.generate.Cancellation;
import dev.kestrel.inference.model.VisionConfig;
import dev.kestrel.inference.runtime.Devices;
import dev.kestrel.inference.vision.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A model's way from an image to its features: tiling policy, preprocessing, vision encoder and
 * embedding cache. {@link #attach} starts encoding at once in the background; {@link #encode}
 * does it now. Either way an image already in the cache costs no vision work.
 */
public final class ImagePipeline implements AutoCloseable {

    private final VisionEncoder encoder;
    private final TilingPolicy tiling;
    private final ImageEmbeddingCache cache;
    private final String encoderId;
    private static final System.Logger LOG = System.getLogger(ImagePipeline.class.getName());

    /** Encodings started by attach and not yet ended, so that close can stop them before freeing the encoder. */
    private final Map<Cancellation, CompletableFuture<EncodedImage>> running = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "kestrel-image-encoder");
        thread.setDaemon(true);
        return thread;
    });

    private ImagePipeline(VisionEncoder encoder, TilingPolicy tiling, ImageEmbeddingCache cache, String encoderId) {
        this.encoder = encoder;
        this.tiling = tiling;
        this.cache = cache;
        this.encoderId = encoderId;
    }

    /**
     * Opens the vision encoder. The tiling is the model's own unless {@code options} name another
     * policy or tile budget.
     */
    public static ImagePipeline open(Path encoderFile, VisionConfig config, TilingPolicy modelTiling, VisionOptions options, int threads,
            Devices.Plan plan) {
        TilingPolicy tiling = chooseTiling(modelTiling, options);
        ImageEmbeddingCache cache = options.cacheFolder().map(ImageEmbeddingCache::onDisk).orElseGet(ImageEmbeddingCache::inMemory);
        String id = encoderId(encoderFile);
        return new ImagePipeline(VisionEncoder.open(encoderFile, config, threads, plan, options.batch()), tiling, cache, id);
    }

    private static TilingPolicy chooseTiling(TilingPolicy model, VisionOptions options) {
        TileSettings settings = new TileSettings(model.settings().tileSize(), options.maxTiles().orElse(model.settings().maxTiles()));
        String name = options.tiling().orElse(model.name());
        if (name.equals(model.name()) && options.maxTiles().isEmpty()) {
            return model;
        }
        return TilingPolicy.named(name, settings);
    }

    /** The encoder file, its size and time: another export of the model never reads this one's cache. */
    private static String encoderId(Path file) {
        try {
            return file.toAbsolutePath() + "@" + Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new ModelFolderException("cannot read '" + file + "': " + e.getMessage(), e);
        }
    }

    public TilingPolicy tiling() {
        return tiling;
    }

    public VisionEncoder encoder() {
        return encoder;
    }

    public ImageEmbeddingCache cache() {
        return cache;
    }

    /** Starts encoding {@code image} in the background and returns at once. */
    public ImageEncoding attach(ImageInput image) {
        Cancellation cancellation = new Cancellation();
        ImageEncoding.Progress progress = new ImageEncoding.Progress();
        CompletableFuture<EncodedImage> result = new CompletableFuture<>();
        running.put(cancellation, result);
        background.execute(() -> {
            try {
                result.complete(encode(image, cancellation, progress));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            } finally {
                running.remove(cancellation);
            }
        });
        return new ImageEncoding(image.name(), result, cancellation, progress);
    }

    /** The image's features: from the cache, or decoded, tiled and encoded now. */
    public EncodedImage encode(ImageInput image, Cancellation cancellation) {
        return encode(image, cancellation, new ImageEncoding.Progress());
    }

    private EncodedImage encode(ImageInput image, Cancellation cancellation, ImageEncoding.Progress progress) {
        String key = ImageKey.of(image.contentHash(), encoderId, tiling);
        var cached = cache.get(key);
        if (cached.isPresent()) {
            progress.finished(cached.get().grid().encodedTiles());
            return cached.get();
        }
        long start = System.nanoTime();
        RgbImage pixels = image.pixels().get();
        PreparedImage prepared = ImagePreprocessor.prepare(pixels, tiling, encoder.config());
        progress.started(prepared.count());
        float[] features = encoder.encode(prepared, cancellation, encoder.batchSize(), progress::encoded);
        VisionConfig config = encoder.config();
        EncodedImage encoded = new EncodedImage(key, prepared.grid(), config.tokensPerTile(), config.hidden(), features,
                (System.nanoTime() - start) / 1e6);
        cache.put(encoded);
        return encoded;
    }

    /**
     * Stops the encodings under way (each before its next batch of tiles), waits for the batch that
     * is running, then frees the encoder: freeing a session during a run crashes ONNX Runtime.
     */
    @Override
    public void close() {
        running.keySet().forEach(Cancellation::cancel);
        background.shutdownNow();
        try {
            if (!background.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "an image encoding did not stop within 60 s; its encoder is left open");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(System.Logger.Level.WARNING, "interrupted while waiting for image encodings to stop; the encoder is left open");
            return;
        }
        // Encodings still queued never ran: whoever waits for them learns they were cancelled.
        running.values().forEach(waiting -> waiting.cancel(false));
        encoder.close();
    }
}
