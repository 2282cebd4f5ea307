package dev.kestrel.inference.vision.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Image.resize case of images/pillow/index.json (Pillow 9.4: down 3.7x, down 1.5x, up 2.3x,
 * near 1x, odd mixed sizes, one axis only, 1x1; every filter) must come out byte for byte equal.
 */
class ResizerParityTest {

    private static final Map<String, RgbImage> SHEETS = new ConcurrentHashMap<>();
    private static final Map<String, RgbImage> DECODED = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() {
        return PillowGolden.inputs().stream().flatMap(input -> input.resized().stream()
                .map(resized -> Arguments.of(input, Named.of(resized.toString(), resized))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void resizesAsPillowDoes(PillowGolden.Input input, PillowGolden.Resized resized) {
        RgbImage decoded = DECODED.computeIfAbsent(input.file(), f -> new ImageDecoder().decode(input.bytes(), f));
        RgbImage sheet = SHEETS.computeIfAbsent(input.resizedSheet(), PillowGolden::goldenPng);
        RgbImage expected = sheet.crop(0, resized.top(), resized.width(), resized.height());

        RgbImage actual = Resizer.resize(decoded, resized.width(), resized.height(), resized.resampling());

        assertThat(actual.width()).isEqualTo(resized.width());
        assertThat(actual.height()).isEqualTo(resized.height());
        if (!actual.equals(expected)) {
            throw new AssertionError("differs from Pillow: " + Differences.between(actual, expected));
        }
    }
}
