package dev.kestrel.inference.vision.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each test image decoded by Kestrel against Pillow 9.4's decode, after exif_transpose and
 * transformers' convert_to_rgb (parity/images/make_golden.py). Lossless formats must match byte
 * for byte, alpha compositing included. JPEG and lossy WebP pixels depend on the decoder's IDCT,
 * chroma upsampling and colour conversion (Pillow: libjpeg-turbo 2.1 and libwebp 1.2; Kestrel:
 * the JDK's libjpeg 6b behind TwelveMonkeys, and TwelveMonkeys' own VP8 decoder), so there only
 * a bound holds; the differences are printed for the record. Measured: JPEG (4:2:0, 4:4:4, gray,
 * CMYK) identical; lossy WebP mean 3.8, max 32, because TwelveMonkeys repeats each chroma sample
 * where libwebp interpolates ("fancy upsampling"), which shows most on this saturated gradient.
 */
class ImageDecoderParityTest {

    static Stream<PillowGolden.Input> inputs() {
        return PillowGolden.inputs().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void decodesAsPillowAndTransformersDo(PillowGolden.Input input) {
        RgbImage expected = input.pillowDecoded();

        RgbImage actual = new ImageDecoder().decode(input.bytes(), input.file());

        assertThat(actual.width()).as("width").isEqualTo(input.width());
        assertThat(actual.height()).as("height").isEqualTo(input.height());
        Differences differences = Differences.between(actual, expected);
        System.out.println(input.file() + " (" + input.pillowMode() + "): " + differences);
        String what = input.file() + " vs Pillow: " + differences;
        if (input.lossless()) {
            assertThat(differences.max()).as(what).isZero();
        } else if (input.file().endsWith(".jpg")) {
            assertThat(differences.mean()).as(what).isLessThanOrEqualTo(1.0);
            assertThat(differences.max()).as(what).isLessThanOrEqualTo(8);
        } else {
            assertThat(differences.mean()).as(what).isLessThanOrEqualTo(5.0);
            assertThat(differences.max()).as(what).isLessThanOrEqualTo(40);
        }
    }
}
