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

    /** The text-only graph name: {@code onnx/model.onnx} fed {@code input_ids}. */
    public static final String TEXT_DECODER = "model";

    private final Path root;
    private final ModelConfig config;
    private final GenerationDefaults generationDefaults;
    private final Path tokenizerFile;
    private final JsonNode tokenizerConfig;
    private final Map<Variant, Path> decoderVariants;

    private ModelFolder(Path root, ModelConfig config, GenerationDefaults generationDefaults, Path tokenizerFile,
            JsonNode tokenizerConfig, Map<Variant, Path> decoderVariants) {
        this.root = root;
        this.config = config;
        this.generationDefaults = generationDefaults;
        this.tokenizerFile = tokenizerFile;
        this.tokenizerConfig = tokenizerConfig;
        this.decoderVariants = decoderVariants;
    }

    public static ModelFolder open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new ModelFolderException("model folder '" + dir + "' does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new ModelFolderException("model folder '" + dir + "' is a file, not a folder");
        }
        Map<Variant, Path> decoders = variantsOf(root.resolve("onnx"), TEXT_DECODER);
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(root.resolve("config.json"))) {
            missing.add("config.json");
        }
        if (!Files.isRegularFile(root.resolve("tokenizer.json"))) {
            missing.add("tokenizer.json");
        }
        if (decoders.isEmpty()) {
            missing.add("onnx/model.onnx (or a variant such as onnx/model_q4.onnx)");
        }
        if (!missing.isEmpty()) {
            throw new ModelFolderException("model folder '" + dir + "' is incomplete: it has no " + String.join(", no ", missing));
        }
        ModelConfig config = ModelConfig.parse(JsonFiles.read(root.resolve("config.json"), root), "config.json");
        Path generationConfig = root.resolve("generation_config.json");
        GenerationDefaults defaults = Files.isRegularFile(generationConfig)
                ? GenerationDefaults.parse(JsonFiles.read(generationConfig, root))
                : GenerationDefaults.NONE;
        Path tokenizerConfigFile = root.resolve("tokenizer_config.json");
        JsonNode tokenizerConfig = Files.isRegularFile(tokenizerConfigFile)
                ? JsonFiles.read(tokenizerConfigFile, root)
                : JsonFiles.MAPPER.createObjectNode();
        return new ModelFolder(root, config, defaults, root.resolve("tokenizer.json"), tokenizerConfig, decoders);
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

    public Map<Variant, Path> decoderVariants() {
        return Map.copyOf(decoderVariants);
    }

    /**
     * The decoder graph to load: the requested variant, or else the first present in {@code preference}.
     */
    public DecoderChoice chooseDecoder(Optional<Variant> requested, List<Variant> preference) {
        if (requested.isPresent()) {
            Variant variant = requested.get();
            Path file = decoderVariants.get(variant);
            if (file == null) {
                throw new ModelFolderException("model folder '" + root + "' has no " + variant.label() + " variant (onnx/"
                        + variant.fileName(TEXT_DECODER) + "); it has " + labels());
            }
            return new DecoderChoice(variant, file);
        }
        for (Variant variant : preference) {
            if (decoderVariants.containsKey(variant)) {
                return new DecoderChoice(variant, decoderVariants.get(variant));
            }
        }
        Variant any = decoderVariants.keySet().iterator().next();
        return new DecoderChoice(any, decoderVariants.get(any));
    }

    private String labels() {
        return String.join(", ", decoderVariants.keySet().stream().map(Variant::label).toList());
    }

    public record DecoderChoice(Variant variant, Path file) {}
}
