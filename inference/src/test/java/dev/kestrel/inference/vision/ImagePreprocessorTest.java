package dev.kestrel.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kestrel.inference.model.VisionConfig;
import dev.kestrel.inference.vision.image.RgbImage;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** How each policy lays pixels out on its grid; SmolVLM's own layout is checked against Python in TinySmolVlmTest. */
class ImagePreprocessorTest {

    private static final VisionConfig SMOLVLM_LIKE = new VisionConfig(380, 64, 256, true, 16, 64, 1, 1 / 255.0,
            new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});

    private static RgbImage solid(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return RgbImage.of(width, height, rgb);
    }

    /** Channel c of pixel (x, y) of tile i, normalized. */
    private static float at(PreparedImage image, int tile, int c, int x, int y) {
        FloatBuffer buffer = FloatBuffer.allocate(3 * 64 * 64);
        image.write(tile, buffer);
        return buffer.get(c * 64 * 64 + y * 64 + x);
    }

    @Test
    void relaxedKeepsTheAspectRatioAndPadsWithTheMeanSoPaddingReadsAsAboutZero() {
        TilingPolicy relaxed = TilingPolicy.named("relaxed", new TileSettings(64, 4));
        PreparedImage image = ImagePreprocessor.prepare(solid(128, 32, 255, 0, 0), relaxed, SMOLVLM_LIKE);

        assertThat(image.grid()).isEqualTo(new TileGrid(2, 1, true));
        assertThat(image.count()).isEqualTo(3);
        // The 128x32 strip sits centred in the 128x64 canvas: rows 16-47 are red, the rest padding.
        assertThat(at(image, 0, 0, 10, 5)).isCloseTo(0f, within(0.01f));
        assertThat(at(image, 0, 0, 10, 30)).isEqualTo(1f);
        assertThat(at(image, 1, 1, 10, 30)).isEqualTo(-1f);
        assertThat(at(image, 1, 0, 10, 60)).isCloseTo(0f, within(0.01f));
        // The thumbnail squeezes the whole image into one tile: red everywhere.
        assertThat(at(image, 2, 0, 32, 2)).isEqualTo(1f);
    }

    @Test
    void internVlStretchesTheImageOverTheWholeGrid() {
        TilingPolicy internVl = TilingPolicy.named("internvl", new TileSettings(64, 4));
        PreparedImage image = ImagePreprocessor.prepare(solid(128, 32, 0, 0, 255), internVl, SMOLVLM_LIKE);

        assertThat(image.grid()).isEqualTo(new TileGrid(4, 1, true));
        for (int tile = 0; tile < image.count(); tile++) {
            assertThat(at(image, tile, 2, 5, 5)).isEqualTo(1f);
            assertThat(at(image, tile, 2, 60, 60)).isEqualTo(1f);
        }
    }

    @Test
    void llavaNextAlwaysAddsItsBaseImage() {
        TilingPolicy llava = TilingPolicy.named("llava-next", new TileSettings(64, 4));
        PreparedImage image = ImagePreprocessor.prepare(solid(50, 50, 0, 255, 0), llava, SMOLVLM_LIKE);

        assertThat(image.grid()).isEqualTo(new TileGrid(1, 1, true));
        assertThat(image.count()).isEqualTo(2);
        assertThat(image.tile(1).width()).isEqualTo(64);
    }
}
