package dev.kestrel.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.inference.ModelFolderException;
import java.util.Optional;

/**
 * What the image side of a vision-language model folder says about its images: tiles and their
 * tokens from config.json and processor_config.json, pixels from preprocessor_config.json (the
 * Hugging Face image processor's settings).
 *
 * @param imageTokenId  the placeholder token whose embeddings the image features replace
 * @param tileSize      side of one square tile in pixels (max_image_size.longest_edge)
 * @param longestEdge   the longest side images are scaled to before splitting (size.longest_edge)
 * @param split         whether images are cut into tiles (do_image_splitting)
 * @param tokensPerTile image tokens per tile after the graph's token downsampling
 * @param hidden        width of one image token, the language model's hidden size
 * @param resample      Pillow's resampling filter number (1 = Lanczos)
 * @param rescale       factor from 0..255 to the model's range, or 1 when do_rescale is off
 * @param mean          per-channel mean subtracted after rescaling (0 when do_normalize is off)
 * @param std           per-channel divisor after the mean (1 when do_normalize is off)
 */
public record VisionConfig(
        int imageTokenId, int tileSize, int longestEdge, boolean split, int tokensPerTile, int hidden, int resample,
        double rescale, float[] mean, float[] std) {

    static final String PREPROCESSOR = "preprocessor_config.json";

    static VisionConfig parse(JsonNode config, JsonNode preprocessor, Optional<JsonNode> processor) {
        JsonNode vision = config.path("vision_config");
        JsonNode text = config.has("text_config") ? config.get("text_config") : config;
        JsonNode tokenId = config.has("image_token_id") ? config.get("image_token_id") : config.get("image_token_index");
        if (tokenId == null || !tokenId.canConvertToInt()) {
            throw new ModelFolderException("config.json names no image token (image_token_id)");
        }
        int imageSize = vision.path("image_size").asInt(0);
        int tileSize = preprocessor.path("max_image_size").path("longest_edge").asInt(imageSize);
        if (tileSize <= 0) {
            throw new ModelFolderException(PREPROCESSOR + " gives no tile size (max_image_size.longest_edge) and config.json's "
                    + "vision_config no image_size");
        }
        if (imageSize > 0 && imageSize != tileSize) {
            throw new ModelFolderException(PREPROCESSOR + " cuts " + tileSize + "-pixel tiles but config.json's vision encoder "
                    + "reads " + imageSize + "-pixel images");
        }
        int longestEdge = preprocessor.path("size").path("longest_edge").asInt(tileSize);
        int tokens = tokensPerTile(config, vision, tileSize, processor);
        int hidden = text.path("hidden_size").asInt(0);
        if (hidden <= 0) {
            throw new ModelFolderException("config.json has no hidden_size for the language model");
        }
        boolean rescaleOn = preprocessor.path("do_rescale").asBoolean(true);
        boolean normalizeOn = preprocessor.path("do_normalize").asBoolean(true);
        return new VisionConfig(tokenId.asInt(), tileSize, longestEdge, preprocessor.path("do_image_splitting").asBoolean(true),
                tokens, hidden, preprocessor.path("resample").asInt(1),
                rescaleOn ? preprocessor.path("rescale_factor").asDouble(1 / 255.0) : 1,
                normalizeOn ? channels(preprocessor.get("image_mean"), "image_mean") : new float[] {0, 0, 0},
                normalizeOn ? channels(preprocessor.get("image_std"), "image_std") : new float[] {1, 1, 1});
    }

    /**
     * Tokens per tile: processor_config.json's image_seq_len where it is given, checked against
     * the vision encoder's patches and the connector's pixel-shuffle factor in config.json.
     */
    private static int tokensPerTile(JsonNode config, JsonNode vision, int tileSize, Optional<JsonNode> processor) {
        int patch = vision.path("patch_size").asInt(0);
        int scale = config.path("scale_factor").asInt(1);
        int derived = patch > 0 && tileSize % patch == 0 ? (tileSize / patch) * (tileSize / patch) / (scale * scale) : 0;
        int declared = processor.map(p -> p.path("image_seq_len").asInt(0)).orElse(0);
        if (declared > 0 && derived > 0 && declared != derived) {
            throw new ModelFolderException("processor_config.json gives " + declared + " tokens per image tile but config.json's "
                    + "vision encoder makes " + derived + " (" + tileSize + "-pixel tiles, " + patch + "-pixel patches, scale factor "
                    + scale + ")");
        }
        int tokens = declared > 0 ? declared : derived;
        if (tokens <= 0) {
            throw new ModelFolderException("cannot tell how many tokens an image tile becomes: processor_config.json has no "
                    + "image_seq_len and config.json's vision_config no patch_size");
        }
        return tokens;
    }

    private static float[] channels(JsonNode node, String field) {
        if (node == null || !node.isArray() || node.size() != 3) {
            throw new ModelFolderException(PREPROCESSOR + " has no " + field + " of three channel values");
        }
        float[] values = new float[3];
        for (int c = 0; c < 3; c++) {
            values[c] = (float) node.get(c).asDouble();
        }
        if (field.equals("image_std") && (values[0] == 0 || values[1] == 0 || values[2] == 0)) {
            throw new ModelFolderException(PREPROCESSOR + " has an image_std of zero");
        }
        return values;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }
}
