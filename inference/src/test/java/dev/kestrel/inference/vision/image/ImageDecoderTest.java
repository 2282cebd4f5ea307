package dev.kestrel.inference.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.inference.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageDecoderTest {

    private static final int RED = 0xdc1e1e;
    private static final int GREEN = 0x1ec81e;
    private static final int BLUE = 0x1e1edc;

    private final ImageDecoder decoder = new ImageDecoder();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "gradient.png, PNG, 64, 40",
        "photo.jpg, JPEG, 64, 48",
        "lossy.webp, WEBP, 64, 48",
        "lossless.webp, WEBP, 48, 32",
        "photo.bmp, BMP, 53, 37",
        "palette.gif, GIF, 50, 40",
    })
    void eachFormatDecodes(String file, ImageFormat format, int width, int height) {
        byte[] bytes = PillowGolden.resource("/images/" + file);

        RgbImage image = decoder.decode(bytes, file);

        assertThat(ImageFormat.sniff(bytes)).contains(format);
        assertThat(image.width()).isEqualTo(width);
        assertThat(image.height()).isEqualTo(height);
    }

    @Test
    void theFirstFrameOfAnAnimatedGifIsThePicture() {
        RgbImage image = decoder.decode(PillowGolden.resource("/images/animated.gif"), "animated.gif");

        // The first frame is the edges picture, white with a black block at (8..40, 10..30), in
        // 8 colours; the second is noise.
        assertThat(image.rgb(0, 0)).satisfies(close(0xffffff));
        assertThat(image.rgb(20, 20)).satisfies(close(0x000000));
    }

    @Test
    void aCmykJpegDecodes() {
        // The JDK's own JPEG reader refuses CMYK ("Unsupported Image Type"); TwelveMonkeys' does not.
        RgbImage image = decoder.decode(PillowGolden.resource("/images/cmyk.jpg"), "cmyk.jpg");

        assertThat(image).isEqualTo(PillowGolden.input("cmyk.jpg").pillowDecoded());
    }

    @Test
    void exifOrientationSixTurnsThePictureClockwise() {
        // Stored 40x24 with red top left, green top right, blue bottom left.
        RgbImage upright = decoder.decode(PillowGolden.resource("/images/orientation-6.jpg"), "orientation-6.jpg");

        assertThat(upright.width()).isEqualTo(24);
        assertThat(upright.height()).isEqualTo(40);
        assertThat(upright.rgb(23, 0)).satisfies(close(RED));
        assertThat(upright.rgb(23, 39)).satisfies(close(GREEN));
        assertThat(upright.rgb(0, 0)).satisfies(close(BLUE));
    }

    @Test
    void exifOrientationThreeTurnsThePictureUpsideDown() {
        RgbImage upright = decoder.decode(PillowGolden.resource("/images/orientation-3.jpg"), "orientation-3.jpg");

        assertThat(upright.width()).isEqualTo(40);
        assertThat(upright.height()).isEqualTo(24);
        assertThat(upright.rgb(39, 23)).satisfies(close(RED));
        assertThat(upright.rgb(0, 23)).satisfies(close(GREEN));
        assertThat(upright.rgb(39, 0)).satisfies(close(BLUE));
    }

    @Test
    void everyExifOrientationMatchesPillowsExifTranspose() {
        RgbImage stored = decoder.decode(PillowGolden.resource("/images/orientation-1.jpg"), "orientation-1.jpg");
        for (int orientation = 1; orientation <= 8; orientation++) {
            String file = "orientation-" + orientation + ".jpg";
            // Same stored pixels in every file: only the tag differs, so the turn must be exact.
            assertThat(ExifOrientation.ofTagValue(orientation).apply(stored)).as(file)
                    .isEqualTo(PillowGolden.input(file).pillowDecoded())
                    .isEqualTo(decoder.decode(PillowGolden.resource("/images/" + file), file));
        }
    }

    @Test
    void transparentPixelsBecomeWhite() {
        // alpha.png's top quarter is fully transparent over a colour gradient.
        RgbImage image = decoder.decode(PillowGolden.resource("/images/alpha.png"), "alpha.png");

        for (int x = 0; x < image.width(); x++) {
            assertThat(image.rgb(x, 0)).isEqualTo(0xffffff);
        }
    }

    @Test
    void aTransparentWebpPixelBecomesWhite() {
        RgbImage image = decoder.decode(PillowGolden.resource("/images/lossless.webp"), "lossless.webp");

        assertThat(image.rgb(5, 0)).isEqualTo(0xffffff);
    }

    @Test
    void aTruncatedPngIsDamaged() {
        byte[] png = PillowGolden.resource("/images/noise.png");
        byte[] truncated = Arrays.copyOf(png, png.length / 2);

        assertThatThrownBy(() -> decoder.decode(truncated, "noise.png"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("image 'noise.png' is damaged: the file ends before the picture does");
    }

    @Test
    void aTruncatedJpegIsDamagedRatherThanHalfGray() {
        byte[] jpeg = PillowGolden.resource("/images/photo.jpg");
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 2 / 3);

        assertThatThrownBy(() -> decoder.decode(truncated, "photo.jpg"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("image 'photo.jpg' is damaged: the file ends before the picture does");
    }

    @Test
    void aPngWithGarbageAfterItsHeaderIsDamaged() {
        byte[] png = PillowGolden.resource("/images/noise.png");
        byte[] garbled = png.clone();
        for (int i = 60; i < garbled.length; i++) {
            garbled[i] ^= (byte) 0x5a;
        }

        assertThatThrownBy(() -> decoder.decode(garbled, "noise.png"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("image 'noise.png' is damaged: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void randomBytesAreNotAnImage() {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        random[0] = 'x';

        assertThatThrownBy(() -> decoder.decode(random, "notes.png"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("image 'notes.png' is not a PNG, JPEG, WebP, BMP or GIF");
    }

    @Test
    void anEmptyFileSaysSo() {
        assertThatThrownBy(() -> decoder.decode(new byte[0], "empty.png"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("image 'empty.png' is empty");
    }

    @Test
    void aHugeDeclaredSizeIsRefusedBeforeAnyPixelIsDecoded() {
        // 30000x30000 RGB would take 2.7 GB; the body is 16 bytes of nothing. Were the pixels
        // decoded, this would fail as damaged (or run out of memory), not with this message.
        byte[] bomb = pngWithHeader(30_000, 30_000);

        assertThatThrownBy(() -> decoder.decode(bomb, "huge.png"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("image 'huge.png' is 30000x30000 pixels (900 megapixels); Kestrel reads images up to 50 megapixels");
    }

    @Test
    void thePixelLimitIsConfigurable() {
        ImageDecoder strict = new ImageDecoder(1_000_000);

        assertThat(strict.maxPixels()).isEqualTo(1_000_000);
        assertThatThrownBy(() -> strict.decode(pngWithHeader(1250, 1000), "scan.png"))
                .hasMessage("image 'scan.png' is 1250x1000 pixels (1.3 megapixels); Kestrel reads images up to 1 megapixels");
        assertThat(strict.decode(PillowGolden.resource("/images/gradient.png"), "gradient.png").width()).isEqualTo(64);
    }

    @Test
    void aFileIsNamedByItsFileNameNotItsPath() throws IOException {
        Path file = Files.write(dir.resolve("holiday.jpg"), "not a picture".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> decoder.decode(file))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("image 'holiday.jpg' is not a PNG, JPEG, WebP, BMP or GIF");
        assertThatThrownBy(() -> decoder.decode(dir.resolve("gone.png")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("image 'gone.png' does not exist");
    }

    @Test
    void aFileDecodesLikeItsBytes() throws IOException {
        byte[] bytes = PillowGolden.resource("/images/orientation-6.jpg");
        Path file = Files.write(dir.resolve("turned.jpg"), bytes);

        assertThat(decoder.decode(file)).isEqualTo(decoder.decode(bytes, "turned.jpg"));
    }

    /** A PNG whose IHDR declares width x height 8-bit RGB, followed by a tiny IDAT and IEND. */
    private static byte[] pngWithHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[16]);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Within a few steps per channel of {@code expected}: JPEG blurs block edges a little. */
    private static java.util.function.Consumer<Integer> close(int expected) {
        return actual -> {
            for (int shift = 0; shift <= 16; shift += 8) {
                assertThat(Math.abs((actual >> shift & 0xff) - (expected >> shift & 0xff)))
                        .as("%06x vs %06x", actual, expected).isLessThanOrEqualTo(12);
            }
        };
    }
}
