package dev.kestrel.inference.generate;

import dev.kestrel.inference.InvalidRequestException;
import ai.onnxruntime.OrtSession;
import dev.kestrel.inference.model.ModelConfig;
import dev.kestrel.inference.model.ModelFolder;
import dev.kestrel.inference.runtime.Devices;
import dev.kestrel.inference.runtime.OrtRuntime;
import dev.kestrel.inference.tokenizer.Tokenizer;
import dev.kestrel.inference.vision.ImageFeatures;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Generates replies with one text decoder graph: chunked prefill, then one token per step with the
 * KV cache kept native. Immutable and shareable; each {@link #generate} call has its own state.
 */
public final class TextGenerator implements AutoCloseable {

    private final DecoderGraph graph;
    private final Tokenizer tokenizer;
    private final Set<Integer> stopIds;
    private final Optional<ThinkingTokens> thinkingTokens;
    private final int contextLength;
    private final Devices.Plan plan;

    private TextGenerator(DecoderGraph graph, Tokenizer tokenizer, Set<Integer> stopIds, Optional<ThinkingTokens> thinkingTokens,
            int contextLength, Devices.Plan plan) {
        this.graph = graph;
        this.plan = plan;
        this.tokenizer = tokenizer;
        this.stopIds = stopIds;
        this.thinkingTokens = thinkingTokens;
        this.contextLength = contextLength;
    }

    /**
     * Opens the decoder graph (and, for the split layout, the embed_tokens graph that feeds it) on
     * the planned device and binds it to the config; the tokenizer stays owned by the caller.
     */
    public static TextGenerator open(ModelFolder.DecoderChoice graphs, ModelConfig config, Tokenizer tokenizer, Set<Integer> stopIds,
            int threads, Devices.Plan plan) {
        OrtSession embed = graphs.embedTokens().map(file -> OrtRuntime.open(file, threads, plan).session()).orElse(null);
        OrtRuntime.Opened decoder;
        try {
            decoder = OrtRuntime.open(graphs.file(), threads, plan);
        } catch (RuntimeException e) {
            if (embed != null) {
                try {
                    embed.close();
                } catch (ai.onnxruntime.OrtException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        DecoderGraph graph = DecoderGraph.bind(decoder.session(), embed, config, graphs.file());
        return new TextGenerator(graph, tokenizer, Set.copyOf(stopIds), ThinkingTokens.of(tokenizer), config.contextLength(),
                decoder.plan());
    }

    public int contextLength() {
        return contextLength;
    }

    /** The execution provider the decoder runs on. */
    public String device() {
        return plan.provider();
    }

    /** Where the model runs, and why not where it was asked to, if so. */
    public Devices.Plan plan() {
        return plan;
    }

    public Optional<ThinkingTokens> thinkingTokens() {
        return thinkingTokens;
    }

    public GenerationResult generate(GenerationRequest request, Consumer<? super GenerationEvent> listener) {
        int[] prompt = request.promptIds();
        if (prompt.length >= contextLength) {
            throw new InvalidRequestException("the prompt is " + prompt.length + " tokens long but this model reads at most "
                    + contextLength + " (prompt and reply together); shorten it or start a new conversation");
        }
        int imageTokens = request.images().countIn(prompt, 0, prompt.length);
        if (imageTokens != request.images().count()) {
            throw new InvalidRequestException("the prompt has " + imageTokens + " image tokens but " + request.images().count()
                    + " image feature rows came with it");
        }
        if (imageTokens > 0 && !graph.takesEmbeddings()) {
            throw new InvalidRequestException("this model reads token ids only and cannot take images");
        }
        int limit = Math.min(request.maxNewTokens(), contextLength - prompt.length);
        Cancellation cancellation = request.cancellation();
        Generation generation = new Generation(request, tokenizer, thinkingTokens, stopIds, graph.vocabSize(), listener);
        long start = System.nanoTime();
        double prefillMs = 0;
        double ttftMs = 0;
        long firstTokenAt = 0;
        long decodeRunNanos = 0;
        FinishReason reason = FinishReason.CANCELLED;
        try (KvCache cache = graph.newCache(); DecoderGraph.Buffers buffers = new DecoderGraph.Buffers()) {
            float[] logits = null;
            ImageFeatures images = request.images();
            int imageRow = 0;
            for (int from = 0; from < prompt.length && !cancellation.isCancelled(); from += request.prefillChunk()) {
                int to = Math.min(from + request.prefillChunk(), prompt.length);
                logits = graph.forward(prompt, from, to, cache, buffers, images, imageRow);
                imageRow += images.countIn(prompt, from, to);
            }
            prefillMs = millisSince(start);
            buffers.runNanos = 0;
            if (logits != null && cache.length() == prompt.length) {
                listener.accept(new GenerationEvent.PrefillDone(prompt.length, prefillMs));
                generation.start();
                int[] step = new int[1];
                while (true) {
                    int id = generation.choose(logits);
                    if (generation.generated() == 0) {
                        ttftMs = millisSince(start);
                        firstTokenAt = System.nanoTime();
                    }
                    FinishReason end = generation.accept(id, limit);
                    if (end != null) {
                        reason = end;
                        break;
                    }
                    if (cancellation.isCancelled()) {
                        break;
                    }
                    step[0] = id;
                    logits = graph.forward(step, 0, 1, cache, buffers);
                }
            }
            decodeRunNanos = buffers.runNanos;
        }
        double decodeMs = firstTokenAt == 0 ? 0 : millisSince(firstTokenAt);
        Timings timings = new Timings(0, 0, prefillMs, ttftMs, decodeMs, decodeRunNanos / 1e6);
        return generation.finish(reason, prompt.length, imageTokens, timings, device());
    }

    private static double millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e6;
    }

    @Override
    public void close() {
        graph.close();
    }
}
