package dev.kestrel.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The model author's generation settings from generation_config.json: stop ids and the sampling
 * defaults used when the user chooses none.
 */
public record GenerationDefaults(
        List<Integer> eosTokenIds, boolean doSample, OptionalDouble temperature, OptionalDouble topP, OptionalInt topK) {

    public static final GenerationDefaults NONE =
            new GenerationDefaults(List.of(), false, OptionalDouble.empty(), OptionalDouble.empty(), OptionalInt.empty());

    static GenerationDefaults parse(JsonNode root) {
        return new GenerationDefaults(
                JsonFiles.intList(root.get("eos_token_id")),
                root.path("do_sample").asBoolean(false),
                root.has("temperature") ? OptionalDouble.of(root.get("temperature").asDouble()) : OptionalDouble.empty(),
                root.has("top_p") ? OptionalDouble.of(root.get("top_p").asDouble()) : OptionalDouble.empty(),
                root.has("top_k") ? OptionalInt.of(root.get("top_k").asInt()) : OptionalInt.empty());
    }
}
