package dev.kestrel.inference.vision;

import dev.kestrel.inference.InferenceException;
import dev.kestrel.inference.generate.Cancellation;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An image being encoded in the background since it was attached (BlueLM-V-3B's decoupled image
 * encoding): by the time the question is sent it is usually done. Removing the image cancels it.
 */
public final class ImageEncoding {

    private final String name;
    private final CompletableFuture<EncodedImage> result;
    private final Cancellation cancellation;
    private final Progress progress;

    public ImageEncoding(String name, CompletableFuture<EncodedImage> result, Cancellation cancellation, Progress progress) {
        this.name = name;
        this.result = result;
        this.cancellation = cancellation;
        this.progress = progress;
    }

    /**
     * How far the encoding is, 0 to 1, for a thumbnail's progress ring: 0 while the image is
     * decoded and tiled, then the share of tiles encoded; 1 when it was found in the cache.
     */
    public double progress() {
        return progress.fraction();
    }

    /** Tiles encoded and tiles in all; both 0 until the image is tiled. */
    public static final class Progress {
        private volatile int total;
        private volatile int encoded;

        void started(int tiles) {
            total = tiles;
        }

        void encoded(int tiles) {
            encoded = tiles;
        }

        void finished(int tiles) {
            total = tiles;
            encoded = tiles;
        }

        double fraction() {
            int all = total;
            return all == 0 ? 0 : (double) encoded / all;
        }
    }

    public String name() {
        return name;
    }

    public boolean isDone() {
        return result.isDone();
    }

    /** Stops the encoding before its next batch of tiles; {@link #join} then throws CancellationException. */
    public void cancel() {
        cancellation.cancel();
        result.cancel(false);
    }

    /** The encoded image, waiting for it if need be; the encoding's own failure is rethrown as it was. */
    public EncodedImage join() {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InferenceException inference) {
                throw inference;
            }
            if (e.getCause() instanceof CancellationException cancelled) {
                throw cancelled;
            }
            throw new InferenceException("cannot encode image '" + name + "': " + e.getCause().getMessage(), e.getCause());
        }
    }
}
