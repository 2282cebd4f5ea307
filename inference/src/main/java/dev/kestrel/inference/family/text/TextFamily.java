package dev.kestrel.inference.family.text;

import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.family.ModelFamily;
import dev.kestrel.inference.vision.EncodedImage;
import dev.kestrel.inference.vision.TilingPolicy;
import java.util.List;
import java.util.Optional;

/** Text-only decoders (Qwen3, Llama, ...): string content, no images. */
public final class TextFamily implements ModelFamily {

    @Override
    public String name() {
        return "text";
    }

    @Override
    public boolean contentAsParts() {
        return false;
    }

    @Override
    public String expandImages(String renderedPrompt, List<EncodedImage> images) {
        if (!images.isEmpty()) {
            throw new InvalidRequestException("this model reads text only and cannot look at images; choose a vision model such as SmolVLM");
        }
        return renderedPrompt;
    }

    @Override
    public Optional<String> imageToken() {
        return Optional.empty();
    }

    @Override
    public Optional<TilingPolicy> defaultTiling() {
        return Optional.empty();
    }
}
