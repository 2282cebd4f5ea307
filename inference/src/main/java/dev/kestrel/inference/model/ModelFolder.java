package dev.kestrel.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.inference.ModelFolderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model in the onnx-community / transformers.js layout: config.json, generation_config.json,
 * tokenizer.json, tokenizer_config.json, and ONNX graphs under onnx/ with variants by suffix.
 * Opening one checks that what Kestrel needs is there and says in one message what is not.
 */
public final class ModelFolder {

    /** The text-only graph: {@code onnx/model.onnx} fed {@code input_ids}. */
    public static final String TEXT_DECODER = "model";
    /** The split layout of vision-language exports: embeddings by one graph ... */
    public static final String EMBED_TOKENS = "embed_tokens";
    /** ... and the decoder fed {@code inputs_embeds} by another. */
    public static final String MERGED_DECODER = "decoder_model_merged";
    /** The image encoder of vision-language exports: pixel_values in, image_features out. */
    public static final String VISION_ENCODER = "vision_encoder";

    /** How the language model's graphs are laid out. */
    public enum Layout {
        /** {@code onnx/model*.onnx} fed input_ids. */
        TEXT,
        /** {@code onnx/embed_tokens*.onnx} + {@code onnx/decoder_model_merged*.onnx} fed inputs_embeds. */
        SPLIT
    }

    private final Path root;
    private final ModelConfig config;
    private final GenerationDefaults generationDefaults;
    private final Path tokenizerFile;
    private final JsonNode tokenizerConfig;
    private final Layout layout;
    private final Map<Variant, Path> decoderVariants;
    private final Map<Variant, Path> embedVariants;
    private final Map<Variant, Path> visionVariants;
    private final Optional<VisionConfig> vision;

    private ModelFolder(Path root, ModelConfig config, GenerationDefaults generationDefaults, Path tokenizerFile,
            JsonNode tokenizerConfig, Layout layout, Map<Variant, Path> decoderVariants, Map<Variant, Path> embedVariants,
            Map<Variant, Path> visionVariants, Optional<VisionConfig> vision) {
        this.root = root;
        this.config = config;
        this.generationDefaults = generationDefaults;
        this.tokenizerFile = tokenizerFile;
        this.tokenizerConfig = tokenizerConfig;
        this.layout = layout;
        this.decoderVariants = decoderVariants;
        this.embedVariants = embedVariants;
        this.visionVariants = visionVariants;
        this.vision = vision;
    }

    public static ModelFolder open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new ModelFolderException("model folder '" + dir + "' does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new ModelFolderException("model folder '" + dir + "' is a file, not a folder");
        }
        Path onnx = root.resolve("onnx");
        Map<Variant, Path> textDecoders = variantsOf(onnx, TEXT_DECODER);
        Map<Variant, Path> mergedDecoders = variantsOf(onnx, MERGED_DECODER);
        Map<Variant, Path> embeds = variantsOf(onnx, EMBED_TOKENS);
        Layout layout = textDecoders.isEmpty() && !(mergedDecoders.isEmpty() && embeds.isEmpty()) ? Layout.SPLIT : Layout.TEXT;
        Map<Variant, Path> decoders = layout == Layout.SPLIT ? mergedDecoders : textDecoders;
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(root.resolve("config.json"))) {
            missing.add("config.json");
        }
        if (!Files.isRegularFile(root.resolve("tokenizer.json"))) {
            missing.add("tokenizer.json");
        }
        if (layout == Layout.TEXT && decoders.isEmpty()) {
            missing.add("onnx/model.onnx (or a variant such as onnx/model_q4.onnx)");
        }
        if (layout == Layout.SPLIT && decoders.isEmpty()) {
            missing.add("onnx/decoder_model_merged.onnx to go with onnx/embed_tokens.onnx");
        }
        if (layout == Layout.SPLIT && embeds.isEmpty()) {
            missing.add("onnx/embed_tokens.onnx to go with onnx/decoder_model_merged.onnx");
        }
        Map<Variant, Path> visionEncoders = variantsOf(onnx, VISION_ENCODER);
        if (!visionEncoders.isEmpty() && layout == Layout.TEXT) {
            missing.add("onnx/embed_tokens.onnx and onnx/decoder_model_merged.onnx to go with onnx/vision_encoder.onnx");
        }
        if (!visionEncoders.isEmpty() && !Files.isRegularFile(root.resolve(VisionConfig.PREPROCESSOR))) {
            missing.add(VisionConfig.PREPROCESSOR + " to go with onnx/vision_encoder.onnx");
        }
        if (!missing.isEmpty()) {
            throw new ModelFolderException("model folder '" + dir + "' is incomplete: it has no " + String.join(", no ", missing));
        }
        JsonNode configJson = JsonFiles.read(root.resolve("config.json"), root);
        ModelConfig config = ModelConfig.parse(configJson, "config.json");
        Optional<VisionConfig> vision = Optional.empty();
        if (!visionEncoders.isEmpty()) {
            Path processor = root.resolve("processor_config.json");
            vision = Optional.of(VisionConfig.parse(configJson, JsonFiles.read(root.resolve(VisionConfig.PREPROCESSOR), root),
                    Files.isRegularFile(processor) ? Optional.of(JsonFiles.read(processor, root)) : Optional.empty()));
        }
        Path generationConfig = root.resolve("generation_config.json");
        GenerationDefaults defaults = Files.isRegularFile(generationConfig)
                ? GenerationDefaults.parse(JsonFiles.read(generationConfig, root))
                : GenerationDefaults.NONE;
        Path tokenizerConfigFile = root.resolve("tokenizer_config.json");
        JsonNode tokenizerConfig = Files.isRegularFile(tokenizerConfigFile)
                ? JsonFiles.read(tokenizerConfigFile, root)
                : JsonFiles.MAPPER.createObjectNode();
        return new ModelFolder(root, config, defaults, root.resolve("tokenizer.json"), tokenizerConfig, layout, decoders, embeds,
                visionEncoders, vision);
    }

    private static Map<Variant, Path> variantsOf(Path onnxDir, String graph) {
        Map<Variant, Path> found = new EnumMap<>(Variant.class);
        for (Variant variant : Variant.values()) {
            Path file = onnxDir.resolve(variant.fileName(graph));
            if (Files.isRegularFile(file)) {
                found.put(variant, file);
            }
        }
        return found;
    }

    public Path root() {
        return root;
    }

    public String name() {
        return root.getFileName() == null ? root.toString() : root.getFileName().toString();
    }

    public ModelConfig config() {
        return config;
    }

    public GenerationDefaults generationDefaults() {
        return generationDefaults;
    }

    public Path tokenizerFile() {
        return tokenizerFile;
    }

    /** tokenizer_config.json, or an empty object when the folder has none. */
    public JsonNode tokenizerConfig() {
        return tokenizerConfig;
    }

    public Layout layout() {
        return layout;
    }

    public Map<Variant, Path> decoderVariants() {
        return Map.copyOf(decoderVariants);
    }

    /**
     * The graphs to load: the decoder in the requested variant, or else the first present in
     * {@code preference}; for the split layout, the embeddings in the same variant when there is
     * one, else the first preferred.
     */
    public DecoderChoice chooseDecoder(Optional<Variant> requested, List<Variant> preference) {
        String graph = layout == Layout.SPLIT ? MERGED_DECODER : TEXT_DECODER;
        Variant variant = choose(decoderVariants, graph, requested, preference);
        Optional<Path> embed = Optional.empty();
        if (layout == Layout.SPLIT) {
            Variant embedVariant = embedVariants.containsKey(variant) ? variant : choose(embedVariants, EMBED_TOKENS, Optional.empty(), preference);
            embed = Optional.of(embedVariants.get(embedVariant));
        }
        return new DecoderChoice(variant, decoderVariants.get(variant), embed);
    }

    private Variant choose(Map<Variant, Path> variants, String graph, Optional<Variant> requested, List<Variant> preference) {
        if (requested.isPresent()) {
            Variant variant = requested.get();
            if (!variants.containsKey(variant)) {
                throw new ModelFolderException("model folder '" + root + "' has no " + variant.label() + " variant (onnx/"
                        + variant.fileName(graph) + "); it has " + String.join(", ", variants.keySet().stream().map(Variant::label).toList()));
            }
            return variant;
        }
        return preference.stream().filter(variants::containsKey).findFirst().orElse(variants.keySet().iterator().next());
    }

    /** The image side, for a folder with a vision encoder. */
    public Optional<VisionConfig> vision() {
        return vision;
    }

    /**
     * The vision encoder to load: the requested variant when there is one, else full precision
     * (quantized vision encoders lose more than they save on the CPU), else the first preferred.
     */
    public Optional<Path> chooseVisionEncoder(Optional<Variant> requested, List<Variant> preference) {
        if (visionVariants.isEmpty()) {
            return Optional.empty();
        }
        if (requested.isPresent() && visionVariants.containsKey(requested.get())) {
            return Optional.of(visionVariants.get(requested.get()));
        }
        if (visionVariants.containsKey(Variant.FP32)) {
            return Optional.of(visionVariants.get(Variant.FP32));
        }
        return Optional.of(visionVariants.get(choose(visionVariants, VISION_ENCODER, Optional.empty(), preference)));
    }

    /** The decoder graph file and, for the split layout, the embeddings graph that feeds it. */
    public record DecoderChoice(Variant variant, Path file, Optional<Path> embedTokens) {}
}
