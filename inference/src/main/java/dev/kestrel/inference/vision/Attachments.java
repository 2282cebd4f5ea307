package dev.kestrel.inference.vision;

import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.vision.pdf.PageRange;
import dev.kestrel.inference.vision.pdf.PdfPages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Files a user attaches, as images for the model: an image file is one, a PDF one a page. */
public final class Attachments {

    /**
     * One image made from an attached file, with the text its source holds (a PDF page's text
     * layer; empty for pictures), which a caller may give the model as context.
     */
    public record Part(ImageInput image, String text) {}

    /** Larger files are refused before they are read: no image or document a person attaches is this big. */
    public static final long MAX_FILE_BYTES = 256L << 20;

    private Attachments() {}

    public static List<Part> read(Path file, TilingPolicy tiling) {
        return read(file, tiling, Optional.empty());
    }

    public static List<Part> read(Path file, TilingPolicy tiling, Optional<PageRange> pages) {
        return read(file.getFileName().toString(), bytes(file), pages, longSideFor(tiling));
    }

    /**
     * A file's bytes as images: an image file is one, decoded only when its pixels are asked for (an
     * image the embedding cache has is never decoded); a PDF's pages are rendered with their longer
     * side about {@code targetLongSide} pixels.
     */
    public static List<Part> read(String name, byte[] bytes, Optional<PageRange> pages, int targetLongSide) {
        if (PdfPages.isPdf(bytes)) {
            return PdfPages.render(bytes, name, pages, targetLongSide).stream().map(p -> new Part(p.image(), p.text())).toList();
        }
        return List.of(new Part(ImageInput.ofBytes(name, bytes), ""));
    }

    /** The pixels a page's longer side needs to fill the tile budget. */
    public static int longSideFor(TilingPolicy tiling) {
        if (tiling instanceof Idefics3Tiling idefics3) {
            return idefics3.longestEdge();
        }
        int side = (int) Math.ceil(Math.sqrt(tiling.settings().maxTiles()));
        return tiling.settings().tileSize() * Math.max(side, 1);
    }

    public static byte[] bytes(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try {
            if (Files.isDirectory(file)) {
                throw new InvalidRequestException("'" + name + "' is a folder, not an image or PDF");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new InvalidRequestException("'" + name + "' is " + (size >> 20) + " MB; Kestrel reads images and PDFs up to "
                        + (MAX_FILE_BYTES >> 20) + " MB");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidRequestException("image '" + file + "' does not exist");
        } catch (IOException e) {
            throw new InvalidRequestException("cannot read '" + file + "': " + e.getMessage());
        }
    }
}
