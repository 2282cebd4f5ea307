package dev.kestrel.inference.family;

import dev.kestrel.inference.ModelFolderException;
import dev.kestrel.inference.family.idefics3.Idefics3Family;
import dev.kestrel.inference.family.text.TextFamily;
import dev.kestrel.inference.model.ModelFolder;
import dev.kestrel.inference.model.VisionConfig;
import dev.kestrel.inference.vision.EncodedImage;
import dev.kestrel.inference.vision.TilingPolicy;
import java.util.List;
import java.util.Optional;

/**
 * What differs between model families once their graphs are loaded: how messages are shaped for
 * the chat template, how an image becomes prompt tokens, and how images are tiled by default.
 * Each family lives in its own package with the same file roles (Family, Processor).
 */
public interface ModelFamily {

    /** The family's name, config.json's model_type for vision families. */
    String name();

    /** Whether the chat template wants message content as a list of image and text parts. */
    boolean contentAsParts();

    /**
     * The prompt with each image placeholder the template rendered replaced by its image's tokens
     * (the images in order of appearance).
     */
    String expandImages(String renderedPrompt, List<EncodedImage> images);

    /** The text a chat template writes where an image goes, for families that take images. */
    Optional<String> imageToken();

    /** The model's own tiling, from its preprocessor config. */
    Optional<TilingPolicy> defaultTiling();

    /** The family of a model folder: by config.json's model_type, text-only for anything without images. */
    static ModelFamily of(ModelFolder folder) {
        Optional<VisionConfig> vision = folder.vision();
        if (vision.isPresent() && Idefics3Family.MODEL_TYPES.contains(folder.config().modelType())) {
            return new Idefics3Family(vision.get());
        }
        if (vision.isPresent()) {
            throw new ModelFolderException("model folder '" + folder.root() + "' has a vision encoder for model type '"
                    + folder.config().modelType() + "', which Kestrel cannot run yet; vision models of type "
                    + String.join(" or ", Idefics3Family.MODEL_TYPES) + " (SmolVLM) work");
        }
        return new TextFamily();
    }
}
