package dev.kestrel.inference.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

class RgbImageTest {

    @Test
    void pixelsAreInterleavedRowMajor() {
        RgbImage image = RgbImage.of(2, 2, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

        assertThat(image.rgb(1, 0)).isEqualTo(0x040506);
        assertThat(image.rgb(0, 1)).isEqualTo(0x070809);
        assertThat(image.sample(1, 1, 2)).isEqualTo(12);
    }

    @Test
    void theImageKeepsItsOwnCopyOfThePixels() {
        byte[] pixels = {1, 2, 3};
        RgbImage image = RgbImage.of(1, 1, pixels);
        pixels[0] = 99;
        image.toRgbBytes()[1] = 99;

        assertThat(image.rgb(0, 0)).isEqualTo(0x010203);
    }

    @Test
    void aWrongNumberOfBytesIsRefused() {
        assertThatThrownBy(() -> RgbImage.of(2, 2, new byte[11]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2x2 RGB pixels take 12 bytes, not 11");
    }

    @Test
    void cropCopiesTheRectangle() {
        RgbImage image = gradient(8, 6);

        RgbImage crop = image.crop(2, 3, 4, 2);

        assertThat(crop.width()).isEqualTo(4);
        assertThat(crop.height()).isEqualTo(2);
        assertThat(crop.rgb(0, 0)).isEqualTo(image.rgb(2, 3));
        assertThat(crop.rgb(3, 1)).isEqualTo(image.rgb(5, 4));
    }

    @Test
    void aCropOutsideTheImageIsRefused() {
        assertThatThrownBy(() -> gradient(8, 6).crop(5, 0, 4, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crop 4x2 at (5, 0) does not fit in a 8x6 image");
    }

    @Test
    void aBufferedImageRoundTrips() {
        RgbImage image = gradient(7, 5);

        assertThat(RgbImage.fromBufferedImage(image.toBufferedImage())).isEqualTo(image);
    }

    @Test
    void grayIsReadAsStoredNotThroughAGammaCurve() {
        // BufferedImage.getRGB treats TYPE_BYTE_GRAY as linear and brightens 100 to about 168;
        // Pillow, and so transformers, copy the gray value into R, G and B.
        BufferedImage gray = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 100);

        assertThat(RgbImage.fromBufferedImage(gray).rgb(0, 0)).isEqualTo(0x646464);
    }

    @Test
    void sixteenBitSamplesKeepTheirHighByte() {
        BufferedImage gray = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setSample(0, 0, 0, 0x80ff);

        assertThat(RgbImage.fromBufferedImage(gray).rgb(0, 0)).isEqualTo(0x808080);
    }

    @Test
    void halfTransparentRedOverWhiteRoundsAsPillowDoes() {
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80ff0000);

        // Over white: 255 stays 255; 0 at alpha 128 becomes 255 * 127 / 255 = 127.
        assertThat(RgbImage.fromBufferedImage(argb).rgb(0, 0)).isEqualTo(0xff7f7f);
    }

    @Test
    void everyValueAndAlphaCompositesAsPillowsAlphaComposite() {
        // alpha-ramp.png holds red = column, alpha = row: all 65536 pairs, decoded by Pillow.
        RgbImage pillow = PillowGolden.input("alpha-ramp.png").pillowDecoded();
        for (int alpha = 0; alpha < 256; alpha++) {
            for (int value = 0; value < 256; value++) {
                assertThat(RgbImage.overWhite(value, alpha)).as("value %d, alpha %d", value, alpha)
                        .isEqualTo(pillow.sample(value, alpha, 0));
            }
        }
    }

    @Test
    void premultipliedAlphaIsUndoneBeforeCompositing() {
        BufferedImage premultiplied = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB_PRE);
        premultiplied.setRGB(0, 0, 0x80ff0000); // setRGB takes straight alpha and premultiplies

        assertThat(RgbImage.fromBufferedImage(premultiplied).rgb(0, 0)).isEqualTo(0xff7f7f);
    }

    @Test
    void aFourBandRasterWithAlphaIsComposited() {
        BufferedImage abgr = new BufferedImage(2, 1, BufferedImage.TYPE_4BYTE_ABGR);
        WritableRaster raster = abgr.getRaster();
        raster.setPixel(0, 0, new int[] {10, 20, 30, 255});
        raster.setPixel(1, 0, new int[] {10, 20, 30, 0});

        RgbImage image = RgbImage.fromBufferedImage(abgr);

        assertThat(image.rgb(0, 0)).isEqualTo(0x0a141e);
        assertThat(image.rgb(1, 0)).isEqualTo(0xffffff);
    }

    static RgbImage gradient(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i += 3) {
                rgb[i] = (byte) (x * 255 / Math.max(1, width - 1));
                rgb[i + 1] = (byte) (y * 255 / Math.max(1, height - 1));
                rgb[i + 2] = (byte) (x * 7 + y * 13);
            }
        }
        return RgbImage.of(width, height, rgb);
    }
}
