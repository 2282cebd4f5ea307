package dev.kestrel.inference.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResizerTest {

    @Test
    void theSameSizeGivesTheSameImage() {
        RgbImage image = RgbImageTest.gradient(9, 4);

        assertThat(Resizer.resize(image, 9, 4, Resampling.LANCZOS)).isSameAs(image);
    }

    @ParameterizedTest
    @EnumSource(Resampling.class)
    void aFlatColourStaysFlatAtAnySize(Resampling resampling) {
        byte[] pixels = new byte[13 * 7 * 3];
        for (int i = 0; i < pixels.length; i += 3) {
            pixels[i] = (byte) 200;
            pixels[i + 1] = 17;
            pixels[i + 2] = (byte) 255;
        }
        RgbImage flat = RgbImage.of(13, 7, pixels);

        for (int[] size : new int[][] {{3, 2}, {13, 20}, {40, 7}, {1, 1}}) {
            RgbImage resized = Resizer.resize(flat, size[0], size[1], resampling);
            for (int y = 0; y < resized.height(); y++) {
                for (int x = 0; x < resized.width(); x++) {
                    assertThat(resized.rgb(x, y)).isEqualTo(0xc811ff);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Resampling.class)
    void bandsOnManyThreadsGiveTheBytesOfOneThread(Resampling resampling) {
        byte[] noise = new byte[1200 * 700 * 3];
        new Random(5).nextBytes(noise);
        RgbImage image = RgbImage.of(1200, 700, noise);

        assertThat(Resizer.resize(image, 1023, 611, resampling, true))
                .isEqualTo(Resizer.resize(image, 1023, 611, resampling, false));
        assertThat(Resizer.resize(image, 1500, 903, resampling, true))
                .isEqualTo(Resizer.resize(image, 1500, 903, resampling, false));
    }

    @Test
    void pillowsNumbersNameTheFilters() {
        assertThat(Resampling.fromPillowCode(0)).isEqualTo(Resampling.NEAREST);
        assertThat(Resampling.fromPillowCode(1)).isEqualTo(Resampling.LANCZOS);
        assertThat(Resampling.fromPillowCode(2)).isEqualTo(Resampling.BILINEAR);
        assertThat(Resampling.fromPillowCode(3)).isEqualTo(Resampling.BICUBIC);
        assertThat(Resampling.BICUBIC.pillowCode()).isEqualTo(3);
        assertThatThrownBy(() -> Resampling.fromPillowCode(7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("resample 7 is not one of Pillow's filters");
    }

    @Test
    void anEmptyTargetIsRefused() {
        assertThatThrownBy(() -> Resizer.resize(RgbImageTest.gradient(4, 4), 0, 3, Resampling.BILINEAR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot resize to 0x3: both sides need a pixel");
    }
}
