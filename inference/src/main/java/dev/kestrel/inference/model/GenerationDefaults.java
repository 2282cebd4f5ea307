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
        List<Integer> eosTokenIds, boolean doSample, OptionalDouble temperature, OptionalDouble topP, OptionalInt topK,
        OptionalDouble minP, OptionalDouble repetitionPenalty) {

    public static final GenerationDefaults NONE = new GenerationDefaults(List.of(), false, OptionalDouble.empty(),
            OptionalDouble.empty(), OptionalInt.empty(), OptionalDouble.empty(), OptionalDouble.empty());

    static GenerationDefaults parse(JsonNode root) {
        return new GenerationDefaults(
                JsonFiles.intList(root.get("eos_token_id")),
                root.path("do_sample").asBoolean(false),
                number(root, "temperature"),
                number(root, "top_p"),
                root.path("top_k").canConvertToInt() ? OptionalInt.of(root.get("top_k").asInt()) : OptionalInt.empty(),
                number(root, "min_p"),
                number(root, "repetition_penalty"));
    }

    private static OptionalDouble number(JsonNode root, String field) {
        JsonNode value = root.get(field);
        return value != null && value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
    }
}
