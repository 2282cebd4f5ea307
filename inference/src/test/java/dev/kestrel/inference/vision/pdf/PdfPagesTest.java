package dev.kestrel.inference.vision.pdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.vision.image.RgbImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

/** Real PDFs made with PDFBox, rendered with PDFBox. */
class PdfPagesTest {

    private static byte[] pdf(int pages, String password) throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (int i = 1; i <= pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 24);
                    content.newLineAtOffset(72, 700);
                    content.showText("Invoice page " + i);
                    content.endText();
                }
            }
            if (password != null) {
                document.protect(new StandardProtectionPolicy("owner", password, new AccessPermission()));
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void pagesBecomeImagesSizedForTheTileBudgetWithTheirTextKept() throws IOException {
        List<PdfPages.Page> pages = PdfPages.render(pdf(2, null), "invoice.pdf", Optional.empty(), 1152);

        assertThat(pages).extracting(PdfPages.Page::number).containsExactly(1, 2);
        RgbImage first = pages.getFirst().image().pixels().get();
        // A4 is 595x842 points; its long side becomes the 1152 pixels three 384-pixel tiles hold.
        assertThat(first.height()).isBetween(1150, 1153);
        assertThat(first.width()).isBetween(812, 816);
        assertThat(pages.get(1).text()).isEqualTo("Invoice page 2");
        assertThat(pages.get(0).image().name()).isEqualTo("invoice.pdf page 1");
        assertThat(pages.get(0).image().contentHash()).isNotEqualTo(pages.get(1).image().contentHash());
    }

    @Test
    void aPageRangePicksPagesAndOutOfRangePagesAreNamed() throws IOException {
        byte[] bytes = pdf(3, null);
        assertThat(PdfPages.render(bytes, "a.pdf", Optional.of(PageRange.parse("3,1")), 400)).extracting(PdfPages.Page::number)
                .containsExactly(1, 3);
        assertThatThrownBy(() -> PdfPages.render(bytes, "a.pdf", Optional.of(PageRange.parse("2-5")), 400))
                .isInstanceOf(InvalidRequestException.class).hasMessage("PDF 'a.pdf' has 3 pages, so it has no page 5");
        assertThatThrownBy(() -> PageRange.parse("2-x")).isInstanceOf(InvalidRequestException.class)
                .hasMessage("'2-x' is not a page range; write pages like 1-3,5");
        assertThat(PdfPages.pageCount(bytes, "a.pdf")).isEqualTo(3);
    }

    @Test
    void aPageRangeIsWrittenBackAsAPersonWouldWriteIt() {
        assertThat(PageRange.parse("5, 1-3").text()).isEqualTo("1-3,5");
        assertThat(new PageRange(List.of(9, 2, 3, 4, 7, 8)).text()).isEqualTo("2-4,7-9");
        assertThat(new PageRange(List.of(4)).text()).isEqualTo("4");
        assertThat(PageRange.parse(new PageRange(List.of(1, 3, 5, 6)).text()).pages()).containsExactly(1, 3, 5, 6);
    }

    @Test
    void longDocumentsAskForARangeInsteadOfEncodingHundredsOfPages() throws IOException {
        assertThatThrownBy(() -> PdfPages.render(pdf(12, null), "book.pdf", Optional.empty(), 400))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("PDF 'book.pdf' has 12 pages; choose up to 10");
    }

    @Test
    void encryptedAndBrokenPdfsGetPlainMessages() throws IOException {
        assertThatThrownBy(() -> PdfPages.render(pdf(1, "secret"), "locked.pdf", Optional.empty(), 400))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("PDF 'locked.pdf' is protected by a password; save an unprotected copy and attach that");
        byte[] broken = "%PDF-1.7\nthis is not really a PDF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PdfPages.render(broken, "broken.pdf", Optional.empty(), 400))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("PDF 'broken.pdf' ");
        assertThat(PdfPages.isPdf(broken)).isTrue();
        assertThat(PdfPages.isPdf(new byte[] {1, 2})).isFalse();
    }
}
