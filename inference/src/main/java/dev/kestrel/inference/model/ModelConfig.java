package dev.kestrel.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.inference.ModelFolderException;
import java.util.List;

/**
 * The language-model dimensions Kestrel needs from config.json. Vision-language configs keep them
 * under {@code text_config}; plain decoders at the top level.
 *
 * @param modelType       config's model_type, e.g. "llama", "qwen3", "idefics3"
 * @param vocabSize       rows of the logits
 * @param layers          decoder layers, one past/present key and value pair each
 * @param keyValueHeads   heads of the KV cache
 * @param headDim         width of one head
 * @param contextLength   the longest sequence the model was trained for
 * @param eosTokenIds     ids that end a reply according to config.json (may be empty)
 */
public record ModelConfig(
        String modelType, int vocabSize, int layers, int keyValueHeads, int headDim, int contextLength,
        List<Integer> eosTokenIds) {

    private static final int CONTEXT_WHEN_UNKNOWN = 2048;

    static ModelConfig parse(JsonNode root, String fileName) {
        JsonNode text = root.has("text_config") ? root.get("text_config") : root;
        int hidden = require(text, "hidden_size", fileName);
        int heads = require(text, "num_attention_heads", fileName);
        int layers = require(text, "num_hidden_layers", fileName);
        int kvHeads = text.path("num_key_value_heads").asInt(heads);
        int headDim = text.path("head_dim").asInt(hidden / heads);
        int vocab = text.has("vocab_size") ? text.get("vocab_size").asInt() : require(root, "vocab_size", fileName);
        int context = text.path("max_position_embeddings").asInt(CONTEXT_WHEN_UNKNOWN);
        List<Integer> eos = JsonFiles.intList(root.has("eos_token_id") ? root.get("eos_token_id") : text.get("eos_token_id"));
        if (layers <= 0 || kvHeads <= 0 || headDim <= 0 || vocab <= 0) {
            throw new ModelFolderException(fileName + " has a non-positive dimension (layers " + layers
                    + ", key/value heads " + kvHeads + ", head_dim " + headDim + ", vocab_size " + vocab + ")");
        }
        return new ModelConfig(root.path("model_type").asText(""), vocab, layers, kvHeads, headDim, context, eos);
    }

    private static int require(JsonNode node, String field, String fileName) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new ModelFolderException(fileName + " has no " + field);
        }
        return value.asInt();
    }
}
