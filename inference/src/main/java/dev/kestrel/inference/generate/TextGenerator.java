package dev.kestrel.inference.generate;

import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.model.ModelConfig;
import dev.kestrel.inference.runtime.OrtRuntime;
import dev.kestrel.inference.tokenizer.TokenStream;
import dev.kestrel.inference.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Generates replies with one text decoder graph: chunked prefill, then one token per step with the
 * KV cache kept native. Immutable and shareable; each {@link #generate} call has its own cache.
 */
public final class TextGenerator implements AutoCloseable {

    private final DecoderGraph graph;
    private final Tokenizer tokenizer;
    private final Set<Integer> stopIds;
    private final int contextLength;

    private TextGenerator(DecoderGraph graph, Tokenizer tokenizer, Set<Integer> stopIds, int contextLength) {
        this.graph = graph;
        this.tokenizer = tokenizer;
        this.stopIds = stopIds;
        this.contextLength = contextLength;
    }

    /** Opens {@code graphFile} and binds it to the config; the tokenizer stays owned by the caller. */
    public static TextGenerator open(Path graphFile, ModelConfig config, Tokenizer tokenizer, Set<Integer> stopIds, int threads) {
        DecoderGraph graph = DecoderGraph.bind(OrtRuntime.open(graphFile, threads), config, graphFile);
        return new TextGenerator(graph, tokenizer, Set.copyOf(stopIds), config.contextLength());
    }

    public int contextLength() {
        return contextLength;
    }

    public String device() {
        return OrtRuntime.CPU_PROVIDER;
    }

    public GenerationResult generate(GenerationRequest request, Consumer<? super GenerationEvent> listener) {
        int[] prompt = request.promptIds();
        if (prompt.length >= contextLength) {
            throw new InvalidRequestException("the prompt is " + prompt.length + " tokens long but this model reads at most "
                    + contextLength + " (prompt and reply together); shorten it or start a new conversation");
        }
        int limit = Math.min(request.maxNewTokens(), contextLength - prompt.length);
        Cancellation cancellation = request.cancellation();
        Sampler sampler = new Sampler(request.sampling());
        TokenStream stream = new TokenStream(tokenizer);
        StringBuilder text = new StringBuilder();
        List<Integer> tokens = new ArrayList<>();
        long start = System.nanoTime();
        double prefillMs = 0;
        double ttftMs = 0;
        long firstTokenAt = 0;
        FinishReason reason = FinishReason.CANCELLED;
        try (KvCache cache = graph.newCache()) {
            DecoderGraph.Buffers buffers = new DecoderGraph.Buffers();
            float[] logits = null;
            for (int from = 0; from < prompt.length && !cancellation.isCancelled(); from += request.prefillChunk()) {
                logits = graph.forward(prompt, from, Math.min(from + request.prefillChunk(), prompt.length), cache, buffers);
            }
            prefillMs = millisSince(start);
            if (logits != null && cache.length() == prompt.length) {
                listener.accept(new GenerationEvent.PrefillDone(prompt.length, prefillMs));
                int[] step = new int[1];
                while (true) {
                    int id = sampler.next(logits);
                    tokens.add(id);
                    if (tokens.size() == 1) {
                        ttftMs = millisSince(start);
                        firstTokenAt = System.nanoTime();
                    }
                    listener.accept(new GenerationEvent.Token(id));
                    if (stopIds.contains(id)) {
                        reason = FinishReason.STOP;
                        break;
                    }
                    emit(stream.push(id), text, listener);
                    if (tokens.size() >= limit) {
                        reason = FinishReason.LENGTH;
                        break;
                    }
                    if (cancellation.isCancelled()) {
                        reason = FinishReason.CANCELLED;
                        break;
                    }
                    step[0] = id;
                    logits = graph.forward(step, 0, 1, cache, buffers);
                }
            }
        }
        emit(stream.flush(), text, listener);
        double decodeMs = firstTokenAt == 0 ? 0 : millisSince(firstTokenAt);
        Usage usage = new Usage(prompt.length, 0, 0, tokens.size());
        Timings timings = new Timings(0, 0, prefillMs, ttftMs, decodeMs);
        GenerationResult result = new GenerationResult(text.toString(), "", tokens, reason, usage, timings, device());
        listener.accept(new GenerationEvent.Finished(result));
        return result;
    }

    private static void emit(String delta, StringBuilder text, Consumer<? super GenerationEvent> listener) {
        if (!delta.isEmpty()) {
            text.append(delta);
            listener.accept(new GenerationEvent.Text(delta));
        }
    }

    private static double millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e6;
    }

    @Override
    public void close() {
        graph.close();
    }
}
