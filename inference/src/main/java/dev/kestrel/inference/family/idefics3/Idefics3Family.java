package dev.kestrel.inference.family.idefics3;

import dev.kestrel.inference.family.ModelFamily;
import dev.kestrel.inference.model.VisionConfig;
import dev.kestrel.inference.vision.EncodedImage;
import dev.kestrel.inference.vision.Idefics3Tiling;
import dev.kestrel.inference.vision.TileSettings;
import dev.kestrel.inference.vision.TilingPolicy;
import java.util.List;
import java.util.Optional;

/**
 * Idefics3 and SmolVLM (model_type {@code idefics3}): a SigLIP-style vision encoder with a
 * pixel-shuffle connector, a Llama decoder fed embeddings, content as image and text parts.
 */
public final class Idefics3Family implements ModelFamily {

    public static final List<String> MODEL_TYPES = List.of("idefics3", "smolvlm");

    private final VisionConfig vision;

    public Idefics3Family(VisionConfig vision) {
        this.vision = vision;
    }

    @Override
    public String name() {
        return "idefics3";
    }

    @Override
    public boolean contentAsParts() {
        return true;
    }

    @Override
    public String expandImages(String renderedPrompt, List<EncodedImage> images) {
        return Idefics3Processor.expand(renderedPrompt, images);
    }

    @Override
    public Optional<String> imageToken() {
        return Optional.of(Idefics3Processor.IMAGE);
    }

    /** SmolVLM's resize-and-split, its tile budget the square of longest edge over tile size. */
    @Override
    public Optional<TilingPolicy> defaultTiling() {
        int side = Math.max(1, vision.longestEdge() / vision.tileSize());
        return Optional.of(new Idefics3Tiling(new TileSettings(vision.tileSize(), side * side), vision.longestEdge(), vision.split()));
    }
}
