package dev.kestrel.inference.vision;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.kestrel.inference.InferenceException;
import dev.kestrel.inference.ModelFolderException;
import dev.kestrel.inference.generate.Cancellation;
import dev.kestrel.inference.model.VisionConfig;
import dev.kestrel.inference.runtime.Devices;
import dev.kestrel.inference.runtime.NativeWork;
import dev.kestrel.inference.runtime.OrtRuntime;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The vision encoder graph of the onnx-community layout: {@code pixel_values} [batch, tiles, 3, H, W]
 * and {@code pixel_attention_mask} [batch, tiles, H, W] in, {@code image_features}
 * [tiles, tokens, hidden] out, the token downsampling (pixel shuffle) inside the graph.
 *
 * <p>Tiles go through in batches, and while one batch runs the next is written on a second
 * thread (BlueLM-V-3B's pipelined image encoding). One image is encoded at a time; a cancelled
 * one stops before its next batch.
 */
public final class VisionEncoder implements AutoCloseable {

    static final String PIXEL_VALUES = "pixel_values";
    static final String PIXEL_ATTENTION_MASK = "pixel_attention_mask";
    static final String IMAGE_FEATURES = "image_features";

    private final OrtSession session;
    private final Devices.Plan plan;
    private final VisionConfig config;
    private final OnnxJavaType pixelType;
    private final boolean hasMask;
    private final BatchSize batchSize;
    private final AutoBatch auto = new AutoBatch();
    private final OrtEnvironment env = OrtRuntime.environment();
    private final ReentrantLock oneImageAtATime = new ReentrantLock(true);
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "kestrel-tile-writer");
        thread.setDaemon(true);
        return thread;
    });

    private VisionEncoder(OrtSession session, Devices.Plan plan, VisionConfig config, OnnxJavaType pixelType, boolean hasMask,
            BatchSize batchSize) {
        this.session = session;
        this.plan = plan;
        this.config = config;
        this.pixelType = pixelType;
        this.hasMask = hasMask;
        this.batchSize = batchSize;
    }

    public static VisionEncoder open(Path file, VisionConfig config, int threads, Devices.Plan plan, BatchSize batchSize) {
        OrtRuntime.Opened opened = OrtRuntime.open(file, threads, plan);
        try {
            Map<String, NodeInfo> inputs = opened.session().getInputInfo();
            Map<String, NodeInfo> outputs = opened.session().getOutputInfo();
            if (!inputs.containsKey(PIXEL_VALUES) || !outputs.containsKey(IMAGE_FEATURES)) {
                throw new ModelFolderException("vision encoder '" + file + "' does not take pixel_values and give image_features; it has inputs "
                        + inputs.keySet() + " and outputs " + outputs.keySet());
            }
            TensorInfo pixels = (TensorInfo) inputs.get(PIXEL_VALUES).getInfo();
            if (pixels.getShape().length != 5 || (pixels.type != OnnxJavaType.FLOAT && pixels.type != OnnxJavaType.FLOAT16)) {
                throw new ModelFolderException("vision encoder '" + file + "' wants pixel_values of shape " + Arrays.toString(pixels.getShape())
                        + " and type " + pixels.type + "; Kestrel feeds float [batch, tiles, 3, height, width]");
            }
            return new VisionEncoder(opened.session(), opened.plan(), config, pixels.type, inputs.containsKey(PIXEL_ATTENTION_MASK),
                    batchSize);
        } catch (OrtException | RuntimeException e) {
            try {
                NativeWork.free(opened.session()::close);
            } catch (OrtException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof InferenceException inference) {
                throw inference;
            }
            throw new ModelFolderException("cannot read the inputs and outputs of '" + file + "': " + e.getMessage(), e);
        }
    }

    public VisionConfig config() {
        return config;
    }

    /** The execution provider the encoder runs on. */
    public String device() {
        return plan.provider();
    }

    /** The batch size asked for: fixed, or auto. */
    public BatchSize batchSize() {
        return batchSize;
    }

    /** The batch size in use: the fixed one, or auto's choice once its trials are done (0 before). */
    public int batchTiles() {
        return batchSize.isAuto() ? auto.chosen() : batchSize.tiles();
    }

    /**
     * Encodes every tile of {@code tiles} and returns the features, [tiles * tokensPerTile, hidden].
     *
     * @throws CancellationException when {@code cancellation} fires before the last batch
     */
    public float[] encode(TileSource tiles, Cancellation cancellation) {
        return encode(tiles, cancellation, batchSize, done -> {});
    }

    /**
     * Like {@link #encode(TileSource, Cancellation)}, with a batch size of the caller's and
     * {@code progress} told the number of tiles encoded after each batch.
     */
    public float[] encode(TileSource tiles, Cancellation cancellation, BatchSize batching, IntConsumer progress) {
        if (tiles.tileSize() != config.tileSize()) {
            throw new IllegalArgumentException("tiles of " + tiles.tileSize() + " pixels for an encoder of " + config.tileSize());
        }
        int tokens = config.tokensPerTile();
        int hidden = config.hidden();
        float[] features = new float[tiles.count() * tokens * hidden];
        oneImageAtATime.lock();
        try {
            Batch[] buffers = {new Batch(), new Batch()};
            int first = batchFor(batching, tiles.count());
            Future<Batch> next = writer.submit(() -> buffers[0].fill(tiles, 0, first));
            int turn = 0;
            while (next != null) {
                Batch batch = await(next);
                if (cancellation.isCancelled()) {
                    throw new CancellationException("image encoding cancelled");
                }
                int start = batch.end;
                next = null;
                if (start < tiles.count()) {
                    int size = batchFor(batching, tiles.count() - start);
                    Batch spare = buffers[++turn % 2];
                    next = writer.submit(() -> spare.fill(tiles, start, start + size));
                }
                run(batch, features, tokens, hidden, batching.isAuto());
                progress.accept(batch.end);
            }
            return features;
        } finally {
            oneImageAtATime.unlock();
        }
    }

    private int batchFor(BatchSize batching, int remaining) {
        return batching.isAuto() ? auto.next(remaining) : Math.min(batching.tiles(), remaining);
    }

    private static Batch await(Future<Batch> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("image encoding interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new InferenceException("cannot prepare image tiles: " + e.getCause(), e.getCause());
        }
    }

    @SuppressWarnings("try") // the section is held, not used
    private void run(Batch batch, float[] features, int tokens, int hidden, boolean measure) {
        // The process does not end while the batch runs or before its tensors are freed (NativeWork).
        try (NativeWork.Section section = NativeWork.enter()) {
            int count = batch.end - batch.start;
            int side = config.tileSize();
            Map<String, OnnxTensor> feed = new HashMap<>();
            long start = System.nanoTime();
            try {
                long[] shape = {1, count, 3, side, side};
                feed.put(PIXEL_VALUES, pixelType == OnnxJavaType.FLOAT16
                        ? OnnxTensor.createTensor(env, batch.halves(), shape, OnnxJavaType.FLOAT16)
                        : OnnxTensor.createTensor(env, batch.floats.duplicate(), shape)); // direct: no copy
                if (hasMask) {
                    feed.put(PIXEL_ATTENTION_MASK, OnnxTensor.createTensor(env, batch.mask(count, side), new long[] {1, count, side, side},
                            OnnxJavaType.BOOL));
                }
                try (OrtSession.Result result = session.run(feed)) {
                    OnnxTensor out = (OnnxTensor) result.get(IMAGE_FEATURES).orElseThrow();
                    long[] outShape = out.getInfo().getShape(); // [tiles, tokens, hidden]
                    if (outShape.length != 3 || outShape[0] != count || outShape[1] != tokens || outShape[2] != hidden) {
                        throw new ModelFolderException("the vision encoder gave image features of shape " + Arrays.toString(outShape) + " for "
                                + count + " tiles; the model folder's configs promise [" + count + ", " + tokens + ", " + hidden + "]");
                    }
                    out.getFloatBuffer().get(features, batch.start * tokens * hidden, count * tokens * hidden);
                }
            } catch (OrtException e) {
                throw new InferenceException("the vision encoder failed: " + OrtRuntime.reason(e), e);
            } finally {
                feed.values().forEach(tensor -> NativeWork.free(tensor::close));
            }
            if (measure) {
                auto.measured(count, (System.nanoTime() - start) / 1e6);
            }
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
        try {
            NativeWork.free(session::close);
        } catch (OrtException e) {
            throw new InferenceException("cannot close the vision encoder: " + OrtRuntime.reason(e), e);
        }
    }

    /** One batch of tiles in a reusable direct buffer: [count, 3, side, side] floats. */
    private static final class Batch {
        private FloatBuffer floats;
        private ByteBuffer halves;
        private ByteBuffer mask;
        int start;
        int end;

        Batch fill(TileSource tiles, int from, int to) {
            int values = 3 * tiles.tileSize() * tiles.tileSize();
            int needed = (to - from) * values;
            if (floats == null || floats.capacity() < needed) {
                floats = ByteBuffer.allocateDirect(needed * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            floats.clear();
            for (int i = from; i < to; i++) {
                floats.position((i - from) * values);
                tiles.write(i, floats);
            }
            floats.position(0).limit(needed);
            start = from;
            end = to;
            return this;
        }

        /** The batch as float16, for encoders that take half-precision pixels. */
        ByteBuffer halves() {
            FloatBuffer view = floats.duplicate();
            if (halves == null || halves.capacity() < view.remaining() * 2) {
                halves = ByteBuffer.allocateDirect(view.remaining() * 2).order(ByteOrder.nativeOrder());
            }
            halves.clear();
            while (view.hasRemaining()) {
                halves.putShort(Float.floatToFloat16(view.get()));
            }
            return halves.flip();
        }

        ByteBuffer mask(int count, int side) {
            int needed = count * side * side;
            if (mask == null || mask.capacity() < needed) {
                mask = ByteBuffer.allocateDirect(needed).order(ByteOrder.nativeOrder());
                while (mask.hasRemaining()) {
                    mask.put((byte) 1);
                }
            }
            return mask.clear().limit(needed).slice();
        }
    }
}
