package dev.kestrel.inference.family.idefics3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.vision.EncodedImage;
import dev.kestrel.inference.vision.TileGrid;
import java.util.List;
import org.junit.jupiter.api.Test;

class Idefics3ProcessorTest {

    private static EncodedImage image(TileGrid grid, int tokens) {
        return new EncodedImage("k", grid, tokens, 1, new float[grid.encodedTiles() * tokens], 0);
    }

    @Test
    void aSingleTileImageIsOnlyItsGlobalImage() {
        assertThat(Idefics3Processor.imagePrompt(new TileGrid(1, 1, false), 2))
                .isEqualTo("<fake_token_around_image><global-img><image><image><fake_token_around_image>");
    }

    @Test
    void aSplitImageListsTilesRowByRowThenTheGlobalImage() {
        assertThat(Idefics3Processor.imagePrompt(new TileGrid(2, 2, true), 1)).isEqualTo(
                "<fake_token_around_image><row_1_col_1><image><fake_token_around_image><row_1_col_2><image>\n"
                + "<fake_token_around_image><row_2_col_1><image><fake_token_around_image><row_2_col_2><image>\n"
                + "\n<fake_token_around_image><global-img><image><fake_token_around_image>");
    }

    @Test
    void eachPlaceholderTakesItsOwnImageInOrder() {
        String expanded = Idefics3Processor.expand("A<image>B<image>C",
                List.of(image(new TileGrid(1, 1, false), 1), image(new TileGrid(2, 1, true), 1)));
        assertThat(expanded).isEqualTo("A<fake_token_around_image><global-img><image><fake_token_around_image>B"
                + "<fake_token_around_image><row_1_col_1><image><fake_token_around_image><row_1_col_2><image>\n"
                + "\n<fake_token_around_image><global-img><image><fake_token_around_image>C");
    }

    @Test
    void typedPlaceholdersAreRefusedRatherThanReadAsPictures() {
        assertThatThrownBy(() -> Idefics3Processor.expand("what is <image>?<image>", List.of(image(new TileGrid(1, 1, false), 1))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("keeps for pictures");
    }
}
