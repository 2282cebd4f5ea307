package dev.kestrel.inference.vision.pdf;

import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.vision.ImageInput;
import dev.kestrel.inference.vision.ImageKey;
import dev.kestrel.inference.vision.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * A PDF's pages as images, rendered with PDFBox at the resolution the tile budget can use (more
 * pixels than the tiles hold would only be scaled away), with each page's text layer kept beside
 * it for callers that want it as context.
 */
public final class PdfPages {

    /** Pages taken when the user names none. */
    public static final int DEFAULT_MAX_PAGES = 10;
    static final float MIN_DPI = 36;
    static final float MAX_DPI = 300;

    /** One rendered page: its image for the model, and the text PDFBox extracts from it (may be empty). */
    public record Page(int number, ImageInput image, String text) {}

    private PdfPages() {}

    public static boolean isPdf(byte[] bytes) {
        return bytes.length >= 5 && bytes[0] == '%' && bytes[1] == 'P' && bytes[2] == 'D' && bytes[3] == 'F' && bytes[4] == '-';
    }

    /**
     * Renders the chosen pages (all, up to {@link #DEFAULT_MAX_PAGES}, when none are chosen) so that
     * each page's longer side is about {@code targetLongSide} pixels.
     */
    public static List<Page> render(byte[] bytes, String name, Optional<PageRange> range, int targetLongSide) {
        String hash = ImageKey.sha256Hex(bytes);
        return read(bytes, name, document -> {
            List<Integer> pages = choose(range, document.getNumberOfPages(), name);
            PDFRenderer renderer = new PDFRenderer(document);
            PDFTextStripper text = new PDFTextStripper();
            List<Page> result = new ArrayList<>();
            for (int number : pages) {
                PDPage page = document.getPage(number - 1);
                float dpi = dpiFor(page, targetLongSide);
                BufferedImage pixels = renderer.renderImageWithDPI(number - 1, dpi, ImageType.RGB);
                text.setStartPage(number);
                text.setEndPage(number);
                String pageName = name + " page " + number;
                String key = hash + "#page=" + number + "@" + dpi;
                result.add(new Page(number, ImageInput.ofPixels(pageName, ImageKey.sha256Hex(key), RgbImage.fromBufferedImage(pixels)),
                        text.getText(document).strip()));
            }
            return result;
        });
    }

    /** How many pages the PDF has (at least one: a PDF without pages is refused). */
    public static int pageCount(byte[] bytes, String name) {
        return read(bytes, name, PDDocument::getNumberOfPages);
    }

    private interface DocumentReader<T> {
        T read(PDDocument document) throws IOException;
    }

    /** Opens the PDF for {@code reader}, turning every way a PDF can fail into a message that names it. */
    private static <T> T read(byte[] bytes, String name, DocumentReader<T> reader) {
        try (PDDocument document = Loader.loadPDF(bytes)) {
            if (document.getNumberOfPages() == 0) {
                throw new InvalidRequestException("PDF '" + name + "' has no pages");
            }
            return reader.read(document);
        } catch (InvalidPasswordException e) {
            throw new InvalidRequestException("PDF '" + name + "' is protected by a password; save an unprotected copy and attach that");
        } catch (IOException e) {
            throw new InvalidRequestException("PDF '" + name + "' is damaged and cannot be read (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            if (e instanceof InvalidRequestException invalid) {
                throw invalid;
            }
            throw new InvalidRequestException("PDF '" + name + "' cannot be rendered (" + e.getMessage() + ")");
        }
    }

    private static List<Integer> choose(Optional<PageRange> range, int count, String name) {
        if (range.isEmpty()) {
            if (count > DEFAULT_MAX_PAGES) {
                throw new InvalidRequestException("PDF '" + name + "' has " + count + " pages; choose up to " + DEFAULT_MAX_PAGES
                        + " of them (e.g. pages 1-" + DEFAULT_MAX_PAGES + ")");
            }
            List<Integer> all = new ArrayList<>();
            for (int page = 1; page <= count; page++) {
                all.add(page);
            }
            return all;
        }
        List<Integer> pages = range.get().pages();
        if (pages.getLast() > count) {
            throw new InvalidRequestException("PDF '" + name + "' has " + count + " pages, so it has no page " + pages.getLast());
        }
        return pages;
    }

    /** The DPI at which the page's longer side becomes about {@code targetLongSide} pixels. */
    static float dpiFor(PDPage page, int targetLongSide) {
        PDRectangle box = page.getCropBox();
        boolean turned = page.getRotation() % 180 != 0;
        float longSidePoints = Math.max(turned ? box.getHeight() : box.getWidth(), turned ? box.getWidth() : box.getHeight());
        if (longSidePoints <= 0) {
            return 72;
        }
        float dpi = targetLongSide / longSidePoints * 72f;
        return Math.clamp(dpi, MIN_DPI, MAX_DPI);
    }
}
