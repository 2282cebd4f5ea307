package dev.kestrel.inference.generate;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.kestrel.inference.InferenceException;
import dev.kestrel.inference.ModelFolderException;
import dev.kestrel.inference.model.ModelConfig;
import dev.kestrel.inference.runtime.NativeWork;
import dev.kestrel.inference.runtime.OrtRuntime;
import dev.kestrel.inference.vision.ImageFeatures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A text decoder graph in the onnx-community layout, bound by name: {@code input_ids} (or
 * {@code inputs_embeds} from a separate embed_tokens graph), {@code attention_mask},
 * {@code position_ids} and {@code past_key_values.N.key/value} in; {@code logits} and
 * {@code present.N.key/value} out. {@code use_cache_branch} and {@code num_logits_to_keep} are fed
 * when a graph has them. Names and dtypes come from the graph and are checked against
 * config.json's dimensions.
 */
final class DecoderGraph implements AutoCloseable {

    static final String INPUT_IDS = "input_ids";
    static final String INPUTS_EMBEDS = "inputs_embeds";
    static final String USE_CACHE_BRANCH = "use_cache_branch";
    static final String LOGITS_TO_KEEP = "num_logits_to_keep";
    static final String ATTENTION_MASK = "attention_mask";
    static final String POSITION_IDS = "position_ids";
    static final String LOGITS = "logits";

    private final OrtSession session;
    private final OrtSession embedSession;
    private final OrtEnvironment env = OrtRuntime.environment();
    private final boolean hasPositionIds;
    private final boolean hasCacheBranch;
    private final boolean hasLogitsToKeep;
    private final List<String> pastNames;
    private final List<String> presentNames;
    private final Set<String> presentSet;
    private final OnnxJavaType kvType;
    private final OnnxJavaType logitsType;
    private final long[] emptyKvShape;
    private final int vocab;

    private DecoderGraph(OrtSession session, OrtSession embedSession, Set<String> inputs, List<String> pastNames,
            List<String> presentNames, OnnxJavaType kvType, OnnxJavaType logitsType, long[] emptyKvShape, int vocab) {
        this.session = session;
        this.embedSession = embedSession;
        this.hasPositionIds = inputs.contains(POSITION_IDS);
        this.hasCacheBranch = inputs.contains(USE_CACHE_BRANCH);
        this.hasLogitsToKeep = inputs.contains(LOGITS_TO_KEEP);
        this.pastNames = pastNames;
        this.presentNames = presentNames;
        this.presentSet = new LinkedHashSet<>(presentNames);
        this.kvType = kvType;
        this.logitsType = logitsType;
        this.emptyKvShape = emptyKvShape;
        this.vocab = vocab;
    }

    /** Binds an open decoder session; closes it and explains when the graph does not fit the config. */
    static DecoderGraph bind(OrtSession session, ModelConfig config, Path file) {
        return bind(session, null, config, file);
    }

    /**
     * Binds a decoder fed {@code inputs_embeds} with the embed_tokens session that makes them (or
     * null for a decoder fed {@code input_ids}); closes both and explains when they do not fit.
     */
    static DecoderGraph bind(OrtSession session, OrtSession embedSession, ModelConfig config, Path file) {
        try {
            return bindOrThrow(session, embedSession, config, file);
        } catch (RuntimeException | OrtException e) {
            closeQuietly(session, e);
            if (embedSession != null) {
                closeQuietly(embedSession, e);
            }
            if (e instanceof InferenceException inference) {
                throw inference;
            }
            throw new ModelFolderException("cannot read the inputs and outputs of '" + file + "': " + e.getMessage(), e);
        }
    }

    private static DecoderGraph bindOrThrow(OrtSession session, OrtSession embedSession, ModelConfig config, Path file)
            throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        List<String> missing = new ArrayList<>();
        for (String name : List.of(embedSession == null ? INPUT_IDS : INPUTS_EMBEDS, ATTENTION_MASK)) {
            if (!inputs.containsKey(name)) {
                missing.add("input " + name);
            }
        }
        if (embedSession != null && !embedSession.getInputInfo().containsKey(INPUT_IDS)) {
            throw new ModelFolderException("the embed_tokens graph beside '" + file + "' has no input_ids input");
        }
        if (!outputs.containsKey(LOGITS)) {
            missing.add("output " + LOGITS);
        }
        List<String> past = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (String kind : List.of("key", "value")) {
                String in = "past_key_values." + layer + "." + kind;
                String out = "present." + layer + "." + kind;
                if (!inputs.containsKey(in)) {
                    missing.add("input " + in);
                }
                if (!outputs.containsKey(out)) {
                    missing.add("output " + out);
                }
                past.add(in);
                present.add(out);
            }
        }
        if (!missing.isEmpty()) {
            throw new ModelFolderException("model file '" + file + "' does not match config.json ("
                    + config.layers() + " layers): it lacks " + String.join(", ", missing));
        }
        TensorInfo kvInfo = (TensorInfo) inputs.get(past.getFirst()).getInfo();
        long[] graphShape = kvInfo.getShape(); // [batch, kv_heads, past_sequence, head_dim]; -1 where dynamic
        if (graphShape.length != 4 || mismatch(graphShape[1], config.keyValueHeads()) || mismatch(graphShape[3], config.headDim())) {
            throw new ModelFolderException("model file '" + file + "' expects past key/values of shape "
                    + java.util.Arrays.toString(graphShape) + " but config.json gives " + config.keyValueHeads()
                    + " key/value heads of size " + config.headDim());
        }
        TensorInfo logitsInfo = (TensorInfo) outputs.get(LOGITS).getInfo();
        long[] logitsShape = logitsInfo.getShape(); // [batch, sequence, vocab]
        int vocab = logitsShape.length == 3 && logitsShape[2] > 0 ? (int) logitsShape[2] : config.vocabSize();
        return new DecoderGraph(session, embedSession, inputs.keySet(), List.copyOf(past), List.copyOf(present),
                kvInfo.type, logitsInfo.type, new long[] {1, config.keyValueHeads(), 0, config.headDim()}, vocab);
    }

    private static void closeQuietly(OrtSession session, Exception failure) {
        try {
            NativeWork.free(session::close);
        } catch (OrtException closing) {
            failure.addSuppressed(closing);
        }
    }

    private static boolean mismatch(long graphDim, int configDim) {
        return graphDim > 0 && graphDim != configDim;
    }

    /** Whether the decoder is fed embeddings (and so can take vision features in place of image tokens). */
    boolean takesEmbeddings() {
        return embedSession != null;
    }

    int vocabSize() {
        return vocab;
    }

    KvCache newCache() {
        List<OnnxTensor> empty = new ArrayList<>();
        try {
            for (int i = 0; i < pastNames.size(); i++) {
                empty.add(OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0), emptyKvShape, kvType));
            }
        } catch (OrtException e) {
            empty.forEach(OnnxTensor::close);
            throw new InferenceException("cannot create the key/value cache: " + OrtRuntime.reason(e), e);
        }
        return new KvCache(pastNames, presentNames, empty);
    }

    /**
     * Runs {@code ids[from, to)} after what the cache holds and returns the logits of the last
     * position. The cache advances by {@code to - from} tokens.
     */
    float[] forward(int[] ids, int from, int to, KvCache cache, Buffers buffers) {
        return forward(ids, from, to, cache, buffers, ImageFeatures.NONE, 0);
    }

    /**
     * Like {@link #forward(int[], int, int, KvCache, Buffers)}, but the embeddings of the image
     * tokens in the chunk are replaced by feature rows {@code firstRow, firstRow + 1, ...} of
     * {@code images} (the rows of the image tokens before {@code from} are already in the cache).
     */
    @SuppressWarnings("try") // the section is held, not used
    float[] forward(int[] ids, int from, int to, KvCache cache, Buffers buffers, ImageFeatures images, int firstRow) {
        // The process does not end while the step runs or before its tensors are freed (NativeWork).
        try (NativeWork.Section section = NativeWork.enter()) {
            int count = to - from;
            int past = cache.length();
            Map<String, OnnxTensorLike> feed = new HashMap<>(cache.tensors());
            List<AutoCloseable> owned = new ArrayList<>(6);
            OrtSession.Result result = null;
            try {
                // A one-token step reuses its tensors; only the values in their direct buffers change.
                OnnxTensor idTensor = count == 1 ? buffers.stepIds(env, ids[from]) : buffers.own(owned, idsTensor(ids, from, to, buffers));
                if (embedSession == null) {
                    feed.put(INPUT_IDS, idTensor);
                } else {
                    // [1, count, hidden], handed from one session to the other without leaving native memory
                    OrtSession.Result embeds = embedSession.run(Map.of(INPUT_IDS, idTensor));
                    owned.add(embeds);
                    OnnxTensor textEmbeds = (OnnxTensor) embeds.get(0);
                    feed.put(INPUTS_EMBEDS, images.countIn(ids, from, to) == 0 ? textEmbeds
                            : buffers.own(owned, withImages(textEmbeds, ids, from, to, images, firstRow)));
                }
                if (hasCacheBranch) {
                    owned.add(put(feed, USE_CACHE_BRANCH, OnnxTensor.createTensor(env, new boolean[] {past > 0})));
                }
                int rows = count;
                if (hasLogitsToKeep) {
                    owned.add(put(feed, LOGITS_TO_KEEP, OnnxTensor.createTensor(env, 1L)));
                    rows = 1;
                }
                owned.add(put(feed, ATTENTION_MASK, OnnxTensor.createTensor(env, buffers.ones(past + count), new long[] {1, past + count})));
                if (hasPositionIds) {
                    feed.put(POSITION_IDS, count == 1 ? buffers.stepPosition(env, past) : buffers.own(owned, positionsTensor(past, count, buffers)));
                }
                OnnxTensor logits = buffers.logits(env, rows, vocab, logitsType, owned); // [1, rows, vocab], written in place
                long runStart = System.nanoTime();
                result = session.run(feed, presentSet, Map.of(LOGITS, logits));
                buffers.runNanos += System.nanoTime() - runStart;
                cache.advance(result, count);
                result = null;
                return buffers.lastRow(vocab, logitsType);
            } catch (OrtException e) {
                throw new InferenceException("the decoder failed at position " + past + ": " + OrtRuntime.reason(e), e);
            } finally {
                if (result != null) {
                    closeQuietly(result);
                }
                owned.forEach(DecoderGraph::closeQuietly);
            }
        }
    }

    /**
     * The chunk's embeddings with the image tokens' rows overwritten by vision features, in the
     * embeddings' own dtype (the transformers.js masked scatter).
     */
    private OnnxTensor withImages(OnnxTensor textEmbeds, int[] ids, int from, int to, ImageFeatures images, int firstRow)
            throws OrtException {
        long[] shape = textEmbeds.getInfo().getShape(); // [1, count, hidden]
        int hidden = (int) shape[2];
        if (hidden != images.hidden()) {
            throw new InferenceException("the vision features have " + images.hidden() + " values a token but the decoder's "
                    + "embeddings have " + hidden + "; the vision encoder does not belong to this decoder");
        }
        float[] rows = new float[(to - from) * hidden];
        textEmbeds.getFloatBuffer().get(rows); // float16 embeddings are widened by ONNX Runtime
        int next = firstRow;
        for (int i = from; i < to; i++) {
            if (ids[i] == images.tokenId()) {
                System.arraycopy(images.rows(), next++ * hidden, rows, (i - from) * hidden, hidden);
            }
        }
        OnnxJavaType type = textEmbeds.getInfo().type;
        ByteBuffer bytes = ByteBuffer.allocateDirect(rows.length * type.size).order(ByteOrder.nativeOrder());
        switch (type) {
            case FLOAT -> bytes.asFloatBuffer().put(rows);
            case FLOAT16 -> {
                var halves = bytes.asShortBuffer();
                for (float v : rows) {
                    halves.put(Float.floatToFloat16(v));
                }
            }
            default -> throw new InferenceException("input embeddings of type " + type + " are not supported");
        }
        return OnnxTensor.createTensor(env, bytes, shape, type);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            NativeWork.free(resource::close);
        } catch (Exception e) {
            throw new InferenceException("cannot free a tensor: " + e.getMessage(), e);
        }
    }

    private OnnxTensor idsTensor(int[] ids, int from, int to, Buffers buffers) throws OrtException {
        LongBuffer idBuffer = buffers.longs(0, to - from);
        for (int i = from; i < to; i++) {
            idBuffer.put(ids[i]);
        }
        return OnnxTensor.createTensor(env, idBuffer.flip(), new long[] {1, to - from});
    }

    private OnnxTensor positionsTensor(int past, int count, Buffers buffers) throws OrtException {
        LongBuffer positions = buffers.longs(1, count);
        for (int i = 0; i < count; i++) {
            positions.put(past + i);
        }
        return OnnxTensor.createTensor(env, positions.flip(), new long[] {1, count});
    }

    private static OnnxTensor put(Map<String, OnnxTensorLike> feed, String name, OnnxTensor tensor) {
        feed.put(name, tensor);
        return tensor;
    }

    @Override
    public void close() {
        try {
            NativeWork.free(session::close);
            if (embedSession != null) {
                NativeWork.free(embedSession::close);
            }
        } catch (OrtException e) {
            throw new InferenceException("cannot close the decoder session: " + OrtRuntime.reason(e), e);
        }
    }

    /**
     * Direct buffers and tensors reused across the steps of one generation, so a one-token step
     * allocates nothing but the attention mask's tensor and the last row of logits. Close it when
     * the generation ends.
     */
    static final class Buffers implements AutoCloseable {
        /** Time spent inside session.run since the last reset, for the engine-overhead figure. */
        long runNanos;
        private final LongBuffer[] longs = new LongBuffer[2];
        private LongBuffer ones;
        private ByteBuffer logits;
        private ByteBuffer lastLogits;
        private final StepValue stepId = new StepValue();
        private final StepValue stepPosition = new StepValue();
        private OnnxTensor stepLogitsTensor;
        private ByteBuffer stepLogits;

        LongBuffer longs(int slot, int count) {
            if (longs[slot] == null || longs[slot].capacity() < count) {
                longs[slot] = directLongs(Math.max(count, 128));
            }
            return longs[slot].clear().limit(count);
        }

        LongBuffer ones(int count) {
            if (ones == null || ones.capacity() < count) {
                ones = directLongs(Math.max(count, 2 * (ones == null ? 1024 : ones.capacity())));
                while (ones.hasRemaining()) {
                    ones.put(1L);
                }
            }
            return ones.clear().limit(count).slice();
        }

        /** The [1, 1] input_ids tensor of one-token steps, holding {@code id}. */
        OnnxTensor stepIds(OrtEnvironment env, int id) throws OrtException {
            return stepId.holding(env, id);
        }

        /** The [1, 1] position_ids tensor of one-token steps, holding {@code position}. */
        OnnxTensor stepPosition(OrtEnvironment env, int position) throws OrtException {
            return stepPosition.holding(env, position);
        }

        OnnxTensor own(List<AutoCloseable> owned, OnnxTensor tensor) {
            owned.add(tensor);
            return tensor;
        }

        /** The pinned logits output: reused for one-row steps, otherwise made for this step and added to {@code owned}. */
        OnnxTensor logits(OrtEnvironment env, int rows, int vocab, OnnxJavaType type, List<AutoCloseable> owned) throws OrtException {
            if (rows == 1) {
                if (stepLogitsTensor == null) {
                    stepLogits = ByteBuffer.allocateDirect(vocab * type.size).order(ByteOrder.nativeOrder());
                    stepLogitsTensor = OnnxTensor.createTensor(env, stepLogits, new long[] {1, 1, vocab}, type);
                }
                lastLogits = stepLogits;
                return stepLogitsTensor;
            }
            int bytes = rows * vocab * type.size;
            if (logits == null || logits.capacity() < bytes) {
                logits = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            }
            lastLogits = logits.clear().limit(bytes).slice().order(ByteOrder.nativeOrder());
            return own(owned, OnnxTensor.createTensor(env, lastLogits, new long[] {1, rows, vocab}, type));
        }

        /** The last row of the logits the last step wrote, as floats. */
        float[] lastRow(int vocab, OnnxJavaType type) {
            float[] row = new float[vocab];
            int offset = lastLogits.capacity() / type.size - vocab;
            switch (type) {
                case FLOAT -> lastLogits.asFloatBuffer().get(offset, row);
                case FLOAT16 -> {
                    var halves = lastLogits.asShortBuffer();
                    for (int i = 0; i < vocab; i++) {
                        row[i] = Float.float16ToFloat(halves.get(offset + i));
                    }
                }
                default -> throw new InferenceException("logits of type " + type + " are not supported");
            }
            return row;
        }

        private static LongBuffer directLongs(int count) {
            return ByteBuffer.allocateDirect(count * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        }

        @Override
        public void close() {
            stepId.close();
            stepPosition.close();
            if (stepLogitsTensor != null) {
                NativeWork.free(stepLogitsTensor::close);
            }
        }
    }

    /** A [1, 1] int64 tensor over a direct buffer, made once; each step only writes its value. */
    private static final class StepValue implements AutoCloseable {
        private LongBuffer value;
        private OnnxTensor tensor;

        OnnxTensor holding(OrtEnvironment env, long v) throws OrtException {
            if (tensor == null) {
                value = Buffers.directLongs(1);
                tensor = OnnxTensor.createTensor(env, value, new long[] {1, 1});
            }
            value.put(0, v);
            return tensor;
        }

        @Override
        public void close() {
            if (tensor != null) {
                NativeWork.free(tensor::close);
            }
        }
    }
}
