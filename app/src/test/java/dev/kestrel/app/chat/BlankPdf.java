package dev.kestrel.app.chat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/** PDFs for tests, made with PDFBox: blank A6 pages. */
public final class BlankPdf {

    private BlankPdf() {}

    public static byte[] ofPages(int pages) throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (int i = 0; i < pages; i++) {
                document.addPage(new PDPage(PDRectangle.A6));
            }
            document.save(out);
            return out.toByteArray();
        }
    }
}
