package dev.kestrel.inference.generate;

import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.runtime.OrtRuntime;

/** Opens a model's decoder graph on its own to read the logits of a prefill, for parity tests. */
final class LogitsProbe implements AutoCloseable {

    private final DecoderGraph graph;

    private LogitsProbe(DecoderGraph graph) {
        this.graph = graph;
    }

    static LogitsProbe of(LanguageModel model) {
        var graphs = model.folder().chooseDecoder(java.util.Optional.of(model.variant()), java.util.List.of());
        var embed = graphs.embedTokens().map(file -> OrtRuntime.open(file, 0)).orElse(null);
        return new LogitsProbe(DecoderGraph.bind(OrtRuntime.open(graphs.file(), 0), embed, model.folder().config(), graphs.file()));
    }

    /** The logits after the last of {@code ids}, fed {@code chunk} tokens a step. */
    float[] prefill(int[] ids, int chunk) {
        try (KvCache cache = graph.newCache(); DecoderGraph.Buffers buffers = new DecoderGraph.Buffers()) {
            float[] logits = null;
            for (int from = 0; from < ids.length; from += chunk) {
                logits = graph.forward(ids, from, Math.min(from + chunk, ids.length), cache, buffers);
            }
            return logits;
        }
    }

    @Override
    public void close() {
        graph.close();
    }
}
