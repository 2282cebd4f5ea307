package dev.kestrel.inference.family.idefics3;

import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.vision.EncodedImage;
import dev.kestrel.inference.vision.TileGrid;
import java.util.List;

/**
 * Idefics3 / SmolVLM image prompts, as Hugging Face's Idefics3Processor writes them: each tile is
 * {@code <fake_token_around_image><row_r_col_c>} and its image tokens, rows end in a new line,
 * and the global image ({@code <global-img>}) closes the sequence. An image that is a single
 * tile is only its global image.
 */
public final class Idefics3Processor {

    public static final String IMAGE = "<image>";
    public static final String AROUND_IMAGE = "<fake_token_around_image>";
    public static final String GLOBAL_IMAGE = "<global-img>";

    private Idefics3Processor() {}

    /** The tokens, as text, that stand for one image of the given grid. */
    public static String imagePrompt(TileGrid grid, int tokensPerTile) {
        String tokens = IMAGE.repeat(tokensPerTile);
        String global = AROUND_IMAGE + GLOBAL_IMAGE + tokens + AROUND_IMAGE;
        if (grid.tiles() == 1 && !grid.thumbnail()) {
            return global;
        }
        StringBuilder text = new StringBuilder();
        for (int row = 1; row <= grid.rows(); row++) {
            for (int col = 1; col <= grid.cols(); col++) {
                text.append(AROUND_IMAGE).append("<row_").append(row).append("_col_").append(col).append('>').append(tokens);
            }
            text.append('\n');
        }
        return text.append('\n').append(global).toString();
    }

    /** Replaces the n-th {@code <image>} of a rendered prompt with the n-th image's tokens. */
    public static String expand(String rendered, List<EncodedImage> images) {
        String[] pieces = rendered.split(java.util.regex.Pattern.quote(IMAGE), -1);
        int placeholders = pieces.length - 1;
        if (placeholders != images.size()) {
            throw new InvalidRequestException(placeholders > images.size()
                    ? "the message contains the text " + IMAGE + ", which this model keeps for pictures; write it another way"
                    : "the chat template placed " + placeholders + " of the " + images.size() + " images in the prompt");
        }
        StringBuilder text = new StringBuilder(pieces[0]);
        for (int i = 0; i < images.size(); i++) {
            EncodedImage image = images.get(i);
            text.append(imagePrompt(image.grid(), image.tokensPerTile())).append(pieces[i + 1]);
        }
        return text.toString();
    }
}
