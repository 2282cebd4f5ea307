package dev.kestrel.app.chat;

import dev.kestrel.app.AppException;
import dev.kestrel.app.Failure;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.vision.Attachments;
import dev.kestrel.inference.vision.EncodedImage;
import dev.kestrel.inference.vision.ImageEncoding;
import dev.kestrel.inference.vision.ImageInput;
import dev.kestrel.inference.vision.ImageKey;
import dev.kestrel.inference.vision.image.ImageDecoder;
import dev.kestrel.inference.vision.image.ImageFormat;
import dev.kestrel.inference.vision.image.RgbImage;
import dev.kestrel.inference.vision.pdf.PageRange;
import dev.kestrel.inference.vision.pdf.PdfPages;
import dev.kestrel.storage.NewAttachment;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A file attached to a message: an image, or a PDF whose pages become images. It is read at once, so
 * a broken file is refused while the user is still typing, and each of its pictures starts encoding
 * in the background the moment it is attached (BlueLM-V-3B's decoupled image encoding): by the time
 * the question is sent, the pictures are usually encoded already.
 */
public final class Attachment {

    /** Pages of a PDF offered at most; the pages after them are left out, and {@link #note} says so. */
    public static final int MAX_PAGES = PdfPages.DEFAULT_MAX_PAGES;

    private final String name;
    private final byte[] bytes;
    private final int pageCount;
    private final List<Picture> pictures;

    private Attachment(String name, byte[] bytes, int pageCount, List<Picture> pictures) {
        this.name = name;
        this.bytes = bytes;
        this.pageCount = pageCount;
        this.pictures = List.copyOf(pictures);
    }

    /**
     * Reads an image or PDF file for {@code model}; {@code pages} chooses a PDF's pages (all by
     * default, and a PDF of more than {@link #MAX_PAGES} pages must be given them).
     */
    public static Attachment read(LanguageModel model, Path file, Optional<PageRange> pages) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        mustSee(model, name);
        return read(model, name, Attachments.bytes(file), pages);
    }

    /** Like {@link #read(LanguageModel, Path, Optional)}, for a file's bytes held in memory. */
    public static Attachment read(LanguageModel model, String name, byte[] bytes, Optional<PageRange> pages) {
        mustSee(model, name);
        if (bytes.length > Attachments.MAX_FILE_BYTES) {
            throw new AppException("'" + name + "' is " + (bytes.length >> 20) + " MB; Kestrel reads images and PDFs up to "
                    + (Attachments.MAX_FILE_BYTES >> 20) + " MB");
        }
        if (PdfPages.isPdf(bytes)) {
            int count = PdfPages.pageCount(bytes, name);
            List<Picture> pictures = PdfPages.render(bytes, name, pages, Attachments.longSideFor(model.images().orElseThrow().tiling()))
                    .stream()
                    .map(page -> Picture.start(model, page.number(), page.image(), page.image().pixels().get(), page.text()))
                    .toList();
            return new Attachment(name, bytes.clone(), count, pictures);
        }
        RgbImage pixels = new ImageDecoder().decode(bytes, name);
        // Keyed by the file's bytes, as ImageInput.ofBytes keys it, so the embedding cache finds it either way.
        ImageInput image = ImageInput.ofPixels(name, ImageKey.sha256Hex(bytes), pixels);
        return new Attachment(name, bytes.clone(), 0, List.of(Picture.start(model, 0, image, pixels, "")));
    }

    /** As the window attaches a file: a PDF of more than {@link #MAX_PAGES} pages offers its first ones. */
    public static Attachment offer(LanguageModel model, String name, byte[] bytes) {
        Optional<PageRange> pages = Optional.empty();
        if (model.canSee() && PdfPages.isPdf(bytes)) {
            int count = PdfPages.pageCount(bytes, name);
            if (count > MAX_PAGES) {
                pages = Optional.of(new PageRange(IntStream.rangeClosed(1, MAX_PAGES).boxed().toList()));
            }
        }
        return read(model, name, bytes, pages);
    }

    /**
     * The same PDF showing other pages, at most {@link #MAX_PAGES} of them (a long PDF is looked at a
     * part at a time); this one is left as it is. Pages past the end are refused with a message.
     */
    public Attachment withPages(LanguageModel model, PageRange pages) {
        if (!isPdf()) {
            throw new AppException("'" + name + "' is an image, not a PDF: it has no pages to choose");
        }
        if (pages.pages().isEmpty() || pages.pages().size() > MAX_PAGES) {
            throw new AppException("choose from 1 to " + MAX_PAGES + " pages of '" + name + "' at a time, not " + pages.pages().size());
        }
        int last = pages.pages().stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (last > pageCount) {
            throw new AppException("'" + name + "' has " + pageCount + " pages; there is no page " + last);
        }
        return read(model, name, bytes, Optional.of(pages));
    }

    /** A PDF's number of pages; 0 for an image. */
    public int pageCount() {
        return pageCount;
    }

    /** The pages shown, as a person writes them ({@code 1-10}); empty for an image. */
    public String pagesText() {
        return isPdf() ? new PageRange(pictures.stream().map(Picture::page).toList()).text() : "";
    }

    private static void mustSee(LanguageModel model, String name) {
        if (!model.canSee()) {
            throw new AppException("model '" + model.folder().name() + "' reads text only and cannot take images (" + name + ")");
        }
    }

    public String name() {
        return name;
    }

    public boolean isPdf() {
        return pageCount > 0;
    }

    /** The pictures made from the file: one for an image, one a page for a PDF. */
    public List<Picture> pictures() {
        return pictures;
    }

    /** The pictures the user keeps (a PDF's pages can be left out one by one), in order. */
    public List<Picture> chosen() {
        return pictures.stream().filter(Picture::isChosen).toList();
    }

    /** What the user should know about the file, if anything: that a long PDF's later pages were left out. */
    public Optional<String> note() {
        if (pageCount > pictures.size()) {
            return Optional.of(name + " has " + pageCount + " pages; pages " + pagesText() + " are shown, and up to " + MAX_PAGES
                    + " others can be chosen instead");
        }
        return Optional.empty();
    }

    /** Stops the encodings still running: the file was removed before sending. */
    public void discard() {
        pictures.forEach(p -> p.encoding.cancel());
    }

    /** The pictures encoded, in order, each waited for if need be. */
    public static List<EncodedImage> encoded(List<Picture> pictures) {
        return pictures.stream().map(Picture::encoded).toList();
    }

    /** The files as the history keeps them; a file with no picture chosen is not sent, so not kept. */
    static List<NewAttachment> stored(List<Attachment> files) {
        return files.stream().filter(f -> !f.chosen().isEmpty()).map(Attachment::stored).toList();
    }

    /** The file as the history keeps it, with the pages chosen (empty when all of a PDF's pages are). */
    NewAttachment stored() {
        if (isPdf()) {
            List<Integer> chosen = chosen().stream().map(Picture::page).toList();
            String pages = chosen.size() == pageCount ? "" : new PageRange(chosen).text();
            return new NewAttachment(name, "application/pdf", bytes, 0, 0, pageCount, pages);
        }
        Picture picture = pictures.getFirst();
        String type = ImageFormat.sniff(bytes).map(ImageFormat::mimeType).orElse("application/octet-stream");
        return NewAttachment.image(name, type, bytes, picture.width, picture.height);
    }

    /** One image made from the file, encoding in the background since the file was attached. */
    public static final class Picture {
        private final int page;
        private final ImageInput image;
        private final String text;
        private final Thumbnail thumbnail;
        private final int width;
        private final int height;
        private final ImageEncoding encoding;
        private volatile boolean chosen = true;

        private Picture(int page, ImageInput image, String text, Thumbnail thumbnail, int width, int height, ImageEncoding encoding) {
            this.page = page;
            this.image = image;
            this.text = text;
            this.thumbnail = thumbnail;
            this.width = width;
            this.height = height;
            this.encoding = encoding;
        }

        static Picture start(LanguageModel model, int page, ImageInput image, RgbImage pixels, String text) {
            return new Picture(page, image, text, Thumbnail.of(pixels), pixels.width(), pixels.height(), model.attach(image));
        }

        /** The file's name, with the page for a PDF's page. */
        public String label() {
            return image.name();
        }

        /** The PDF page it shows, from 1; 0 for an image file. */
        public int page() {
            return page;
        }

        public Thumbnail thumbnail() {
            return thumbnail;
        }

        /** The text layer of a PDF page (empty for images and scanned pages). */
        public String text() {
            return text;
        }

        /** How far its encoding is, 0 to 1. */
        public double progress() {
            return encoding.progress();
        }

        /** Whether its encoding has ended, done or failed. */
        public boolean isDone() {
            return encoding.isDone();
        }

        /** Why its encoding failed, once it has; the picture cannot be sent then. */
        public Optional<String> failure() {
            if (!encoding.isDone()) {
                return Optional.empty();
            }
            try {
                encoding.join();
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of(Failure.of(e).message());
            }
        }

        public boolean isChosen() {
            return chosen;
        }

        /** Keeps or leaves out this picture (a PDF's page) when the message is sent. */
        public void choose(boolean keep) {
            chosen = keep;
        }

        /** The encoded picture, waiting for its encoding if need be. */
        EncodedImage encoded() {
            return encoding.join();
        }
    }
}
