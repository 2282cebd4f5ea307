package dev.kestrel.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The text of a special token as tokenizer_config.json names it: either a plain string
 * ({@code "eos_token": "<|im_end|>"}) or an AddedToken object ({@code {"content": "<|im_end|>", ...}}).
 */
public final class TokenText {

    private TokenText() {}

    public static Optional<String> of(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.ofNullable(value.isTextual() ? value.asText() : value.path("content").asText(null));
    }
}
