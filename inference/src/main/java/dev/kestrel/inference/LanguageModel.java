package dev.kestrel.inference;

import dev.kestrel.inference.family.ModelFamily;
import dev.kestrel.inference.generate.Cancellation;
import dev.kestrel.inference.generate.GenerationEvent;
import dev.kestrel.inference.generate.GenerationRequest;
import dev.kestrel.inference.generate.GenerationResult;
import dev.kestrel.inference.generate.PreparedPrompt;
import dev.kestrel.inference.generate.Sampling;
import dev.kestrel.inference.generate.TextGenerator;
import dev.kestrel.inference.generate.ThinkingBudget;
import dev.kestrel.inference.generate.ThinkingTokens;
import dev.kestrel.inference.model.GenerationDefaults;
import dev.kestrel.inference.model.ModelFolder;
import dev.kestrel.inference.model.TokenText;
import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.model.VisionConfig;
import dev.kestrel.inference.prompt.ChatMessage;
import dev.kestrel.inference.prompt.ChatTemplate;
import dev.kestrel.inference.prompt.PlainPrompt;
import dev.kestrel.inference.prompt.Role;
import dev.kestrel.inference.runtime.DeviceKind;
import dev.kestrel.inference.runtime.Devices;
import dev.kestrel.inference.tokenizer.Tokenizer;
import dev.kestrel.inference.vision.EncodedImage;
import dev.kestrel.inference.vision.ImageEncoding;
import dev.kestrel.inference.vision.ImageFeatures;
import dev.kestrel.inference.vision.ImageInput;
import dev.kestrel.inference.vision.ImagePipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A loaded model, ready to answer: its folder, tokenizer, chat template and decoder session.
 * Immutable and safe to share between threads; every {@link #generate} call keeps its own state.
 * Close it to free the native sessions.
 */
public final class LanguageModel implements AutoCloseable {

    private final ModelFolder folder;
    private final Tokenizer tokenizer;
    private final Optional<ChatTemplate> template;
    private final TextGenerator generator;
    private final Variant variant;
    private final double loadMs;
    private final ModelFamily family;
    private final Optional<ImagePipeline> images;

    private LanguageModel(ModelFolder folder, Tokenizer tokenizer, Optional<ChatTemplate> template, TextGenerator generator,
            Variant variant, double loadMs, ModelFamily family, Optional<ImagePipeline> images) {
        this.folder = folder;
        this.family = family;
        this.images = images;
        this.tokenizer = tokenizer;
        this.template = template;
        this.generator = generator;
        this.variant = variant;
        this.loadMs = loadMs;
    }

    public static LanguageModel load(Path dir, EngineOptions options) {
        long start = System.nanoTime();
        ModelFolder folder = ModelFolder.open(dir);
        Devices.Plan plan = Devices.plan(options.device(), Devices.discover(options.pluginFolders()))
                .withCompiledGraphs(options.compiledGraphs());
        return load(folder, options, plan, start);
    }

    /**
     * Loads {@code folder} to run as {@code plan} says, in the variant best for that device unless one is
     * asked for. When the device's provider cannot load the decoder, the model runs on the CPU, in the
     * variant best for the CPU, and {@link #plan()} says why.
     */
    static LanguageModel load(ModelFolder folder, EngineOptions options, Devices.Plan plan, long start) {
        ModelFolder.DecoderChoice decoder = folder.chooseDecoder(options.variant(), EngineOptions.preference(plan));
        Optional<ChatTemplate> template = ChatTemplate.find(folder.root(), folder.tokenizerConfig());
        ModelFamily family = ModelFamily.of(folder);
        Tokenizer tokenizer = Tokenizer.load(folder.tokenizerFile());
        TextGenerator generator = null;
        try {
            Set<Integer> stopIds = stopIds(folder, tokenizer);
            generator = TextGenerator.open(decoder, folder.config(), tokenizer, stopIds, options.threads(), plan);
            if (generator.plan().fallbackReason().isPresent() && plan.kind() != DeviceKind.CPU && options.variant().isEmpty()) {
                ModelFolder.DecoderChoice forCpu = folder.chooseDecoder(Optional.empty(), EngineOptions.CPU_PREFERENCE);
                if (!forCpu.equals(decoder)) {
                    Devices.Plan cpu = generator.plan();
                    generator.close();
                    generator = null;
                    decoder = forCpu;
                    generator = TextGenerator.open(decoder, folder.config(), tokenizer, stopIds, options.threads(), cpu);
                }
            }
            Optional<ImagePipeline> images = Optional.empty();
            Optional<Path> encoder = folder.chooseVisionEncoder(options.variant(), EngineOptions.preference(plan));
            if (encoder.isPresent()) {
                VisionConfig vision = folder.vision().orElseThrow();
                checkImageToken(folder, tokenizer, family, vision);
                images = Optional.of(ImagePipeline.open(encoder.get(), vision, family.defaultTiling().orElseThrow(), options.vision(),
                        options.threads(), plan));
            }
            return new LanguageModel(folder, tokenizer, template, generator, decoder.variant(), (System.nanoTime() - start) / 1e6,
                    family, images);
        } catch (RuntimeException e) {
            if (generator != null) {
                generator.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    private static void checkImageToken(ModelFolder folder, Tokenizer tokenizer, ModelFamily family, VisionConfig vision) {
        String placeholder = family.imageToken().orElseThrow();
        OptionalInt id = tokenizer.tokenId(placeholder);
        if (id.isEmpty() || id.getAsInt() != vision.imageTokenId()) {
            throw new ModelFolderException("model folder '" + folder.root() + "': config.json's image_token_id is " + vision.imageTokenId()
                    + " but the tokenizer's " + placeholder + " is " + (id.isPresent() ? id.getAsInt() : "missing"));
        }
    }

    /** Ids that end a reply: generation_config's and config's eos ids, and tokenizer_config's eos_token. */
    private static Set<Integer> stopIds(ModelFolder folder, Tokenizer tokenizer) {
        Set<Integer> ids = new LinkedHashSet<>(folder.generationDefaults().eosTokenIds());
        ids.addAll(folder.config().eosTokenIds());
        TokenText.of(folder.tokenizerConfig().get("eos_token")).map(tokenizer::tokenId)
                .ifPresent(id -> id.ifPresent(ids::add));
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

    public Optional<ChatTemplate> chatTemplate() {
        return template;
    }

    public Variant variant() {
        return variant;
    }

    public double loadMs() {
        return loadMs;
    }

    /** The execution provider the model runs on, e.g. CPUExecutionProvider. */
    public String device() {
        return generator.device();
    }

    /** The kind of device the model runs on: CPU, GPU or NPU. */
    public DeviceKind deviceKind() {
        DeviceKind kind = generator.plan().kind();
        return kind == DeviceKind.AUTO ? DeviceKind.CPU : kind;
    }

    /** Why the model runs on the CPU though another device was asked for, if it does. */
    public Optional<String> deviceFallback() {
        return generator.plan().fallbackReason();
    }

    public int contextLength() {
        return generator.contextLength();
    }

    /** Whether the model has thinking blocks ({@code <think>} ... {@code </think>}) and so honours a thinking budget. */
    public boolean canThink() {
        return generator.thinkingTokens().isPresent();
    }

    /**
     * The prompt for the conversation's next assistant turn: its chat template with
     * {@code add_generation_prompt} and {@code enable_thinking} (off when the budget is 0), or the
     * last user message for a model without a template. A prompt that does not fit the context is
     * the generator's to refuse.
     */
    public PreparedPrompt prompt(List<ChatMessage> conversation, ThinkingBudget thinking) {
        String text = text(conversation, thinking);
        return new PreparedPrompt(tokenizer.encode(text), text, startsInThinking(text), 0, features(conversation));
    }

    /** The rendered prompt with every image placeholder expanded to its image's tokens. */
    private String text(List<ChatMessage> conversation, ThinkingBudget thinking) {
        List<EncodedImage> pictures = pictures(conversation);
        if (!pictures.isEmpty() && images.isEmpty()) {
            throw textOnly();
        }
        return family.expandImages(render(conversation, thinking), pictures);
    }

    private static List<EncodedImage> pictures(List<ChatMessage> conversation) {
        return conversation.stream().flatMap(m -> m.images().stream()).toList();
    }

    /** The images' features end to end, in the order their tokens appear. */
    private ImageFeatures features(List<ChatMessage> conversation) {
        List<EncodedImage> pictures = pictures(conversation);
        if (pictures.isEmpty()) {
            return ImageFeatures.NONE;
        }
        float[] rows = new float[pictures.stream().mapToInt(p -> p.features().length).sum()];
        int at = 0;
        for (EncodedImage picture : pictures) {
            System.arraycopy(picture.features(), 0, rows, at, picture.features().length);
            at += picture.features().length;
        }
        VisionConfig vision = folder.vision().orElseThrow();
        return new ImageFeatures(vision.imageTokenId(), vision.hidden(), rows);
    }

    /** Whether the model can look at images. */
    public boolean canSee() {
        return images.isPresent();
    }

    /** The model's image side (tiling, encoder, cache), for a model that can see. */
    public Optional<ImagePipeline> images() {
        return images;
    }

    /** Starts encoding an image in the background (encode on attach). */
    public ImageEncoding attach(ImageInput image) {
        return images.orElseThrow(this::textOnly).attach(image);
    }

    /** Encodes an image now, or finds it encoded already. */
    public EncodedImage encode(ImageInput image) {
        return images.orElseThrow(this::textOnly).encode(image, new Cancellation());
    }

    private InvalidRequestException textOnly() {
        return new InvalidRequestException("model '" + folder.name() + "' reads text only and cannot look at images; choose a vision "
                + "model such as SmolVLM");
    }

    /**
     * Like {@link #prompt}, but leaves out the oldest turns (never a system message, never the last
     * message) until the prompt and {@code reserve} tokens for the reply fit the context.
     */
    public PreparedPrompt fit(List<ChatMessage> conversation, ThinkingBudget thinking, int reserve) {
        List<ChatMessage> kept = new ArrayList<>(conversation);
        int dropped = 0;
        while (true) {
            // The image features are gathered once, for the turns that stay.
            String text = text(kept, thinking);
            int[] ids = tokenizer.encode(text);
            if (ids.length + reserve <= contextLength()) {
                return new PreparedPrompt(ids, text, startsInThinking(text), dropped, features(kept));
            }
            int oldest = oldestDroppable(kept);
            if (oldest < 0) {
                throw new InvalidRequestException("the message is " + ids.length + " tokens long with its prompt, and this model"
                        + " reads at most " + contextLength() + " tokens with room for the reply; shorten it");
            }
            kept.remove(oldest);
            dropped++;
            // A conversation restarts at a user message, so an assistant reply left first goes too.
            int next = oldestDroppable(kept);
            if (next >= 0 && kept.get(next).role() == Role.ASSISTANT) {
                kept.remove(next);
                dropped++;
            }
        }
    }

    private static int oldestDroppable(List<ChatMessage> messages) {
        for (int i = 0; i < messages.size() - 1; i++) {
            if (messages.get(i).role() != Role.SYSTEM) {
                return i;
            }
        }
        return -1;
    }

    private String render(List<ChatMessage> conversation, ThinkingBudget thinking) {
        if (template.isEmpty()) {
            return PlainPrompt.render(conversation);
        }
        return template.get().render(conversation, family.contentAsParts(), true, Map.of("enable_thinking", !thinking.isOff()));
    }

    /** A template may open the thinking block itself; then the reply starts inside it. */
    private boolean startsInThinking(String prompt) {
        return canThink() && prompt.lastIndexOf(ThinkingTokens.START) > prompt.lastIndexOf(ThinkingTokens.END);
    }

    /** The model author's sampling settings (generation_config.json), or greedy when they choose none. */
    public Sampling defaultSampling(long seed) {
        GenerationDefaults defaults = folder.generationDefaults();
        if (!defaults.doSample()) {
            return Sampling.GREEDY;
        }
        return new Sampling(defaults.temperature().orElse(1.0), defaults.topK().orElse(50), defaults.topP().orElse(1.0),
                defaults.minP().orElse(0), defaults.repetitionPenalty().orElse(1), seed);
    }

    public GenerationResult generate(GenerationRequest request, Consumer<? super GenerationEvent> listener) {
        return generator.generate(request, listener);
    }

    @Override
    public void close() {
        try {
            images.ifPresent(ImagePipeline::close);
            generator.close();
        } finally {
            tokenizer.close();
        }
    }
}
