package dev.kestrel.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.inference.generate.GenerationEvent;
import dev.kestrel.inference.generate.GenerationRequest;
import dev.kestrel.inference.generate.GenerationResult;
import dev.kestrel.inference.generate.Sampling;
import dev.kestrel.inference.generate.TextGenerator;
import dev.kestrel.inference.model.GenerationDefaults;
import dev.kestrel.inference.model.ModelFolder;
import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.prompt.ChatMessage;
import dev.kestrel.inference.prompt.PlainPrompt;
import dev.kestrel.inference.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A loaded model, ready to answer: its folder, tokenizer and decoder session. Immutable and safe to
 * share between threads; every {@link #generate} call keeps its own state. Close it to free the
 * native sessions.
 */
public final class LanguageModel implements AutoCloseable {

    private final ModelFolder folder;
    private final Tokenizer tokenizer;
    private final TextGenerator generator;
    private final Variant variant;
    private final double loadMs;

    private LanguageModel(ModelFolder folder, Tokenizer tokenizer, TextGenerator generator, Variant variant, double loadMs) {
        this.folder = folder;
        this.tokenizer = tokenizer;
        this.generator = generator;
        this.variant = variant;
        this.loadMs = loadMs;
    }

    public static LanguageModel load(Path dir, EngineOptions options) {
        long start = System.nanoTime();
        ModelFolder folder = ModelFolder.open(dir);
        ModelFolder.DecoderChoice decoder = folder.chooseDecoder(options.variant(), EngineOptions.CPU_PREFERENCE);
        Tokenizer tokenizer = Tokenizer.load(folder.tokenizerFile());
        try {
            Set<Integer> stopIds = stopIds(folder, tokenizer);
            TextGenerator generator = TextGenerator.open(decoder.file(), folder.config(), tokenizer, stopIds, options.threads());
            return new LanguageModel(folder, tokenizer, generator, decoder.variant(), (System.nanoTime() - start) / 1e6);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** Ids that end a reply: generation_config's and config's eos ids, and tokenizer_config's eos_token. */
    private static Set<Integer> stopIds(ModelFolder folder, Tokenizer tokenizer) {
        Set<Integer> ids = new LinkedHashSet<>(folder.generationDefaults().eosTokenIds());
        ids.addAll(folder.config().eosTokenIds());
        JsonNode eos = folder.tokenizerConfig().get("eos_token");
        String eosText = eos == null ? null : eos.isTextual() ? eos.asText() : eos.path("content").asText(null);
        if (eosText != null) {
            tokenizer.tokenId(eosText).ifPresent(ids::add);
        }
        if (ids.isEmpty()) {
            throw new ModelFolderException("model folder '" + folder.root() + "' names no end-of-sequence token "
                    + "(eos_token_id in generation_config.json or config.json, or eos_token in tokenizer_config.json)");
        }
        return ids;
    }

    public ModelFolder folder() {
        return folder;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Variant variant() {
        return variant;
    }

    public double loadMs() {
        return loadMs;
    }

    public String device() {
        return generator.device();
    }

    public int contextLength() {
        return generator.contextLength();
    }

    /** The token ids fed to the model to answer the conversation's last user message. */
    public int[] prompt(List<ChatMessage> conversation) {
        return tokenizer.encode(PlainPrompt.render(conversation));
    }

    /** The model author's sampling settings (generation_config.json), or greedy when they choose none. */
    public Sampling defaultSampling(long seed) {
        GenerationDefaults defaults = folder.generationDefaults();
        if (!defaults.doSample()) {
            return Sampling.GREEDY;
        }
        return new Sampling(defaults.temperature().orElse(1.0), defaults.topK().orElse(50), defaults.topP().orElse(1.0), seed);
    }

    public GenerationResult generate(GenerationRequest request, Consumer<? super GenerationEvent> listener) {
        return generator.generate(request, listener);
    }

    @Override
    public void close() {
        try {
            generator.close();
        } finally {
            tokenizer.close();
        }
    }
}
