package dev.kestrel.ui.chat;

import dev.kestrel.app.chat.Attachment;
import dev.kestrel.app.chat.Thumbnail;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A file attached to the message being written, as the composer shows it: first being read, then its
 * pictures (one for an image, one a page for a PDF), each with its encoding's progress and, for a
 * PDF's pages, whether it is sent. Changed only on the UI thread.
 */
public final class AttachmentItem {

    private final String name;
    private final ReadOnlyBooleanWrapper reading = new ReadOnlyBooleanWrapper(this, "reading", true);
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "");
    private final ObservableList<PictureItem> pictures = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper pages = new ReadOnlyStringWrapper(this, "pages", "");
    private Attachment attachment;
    private int pageCount;
    private boolean removed;

    AttachmentItem(String name) {
        this.name = name;
    }

    /** The file has been read (or a PDF's other pages rendered); its pictures are encoding. */
    void read(Attachment read) {
        if (attachment != null && attachment != read) {
            attachment.discard(); // the pages shown before: their encodings stop
        }
        attachment = read;
        pages.set(read.pagesText());
        pageCount = read.pageCount();
        pictures.setAll(read.pictures().stream().map(PictureItem::new).toList());
        note.set(read.note().orElse(""));
        reading.set(false);
    }

    /** Other pages are being rendered; nothing can be sent until they are. */
    void rereading() {
        reading.set(true);
    }

    /** Rendering other pages failed: the pages shown before stay. */
    void readFailed() {
        reading.set(false);
    }

    Optional<Attachment> attachment() {
        return Optional.ofNullable(attachment);
    }

    /** A PDF's pages shown, as written ({@code 1-10}); empty for an image. */
    public ReadOnlyStringProperty pagesProperty() {
        return pages.getReadOnlyProperty();
    }

    /** Whether other pages can be chosen: a PDF with more pages than are shown at once. */
    public boolean canChoosePages() {
        return pageCount > Attachment.MAX_PAGES;
    }

    /** Brings each picture's progress up to date; true once every encoding has ended. */
    boolean refresh() {
        pictures.forEach(PictureItem::refresh);
        return pictures.stream().allMatch(p -> p.picture.isDone());
    }

    /** The file was removed before sending: its encodings stop. */
    void remove() {
        removed = true;
        if (attachment != null) {
            attachment.discard();
        }
    }

    boolean isRemoved() {
        return removed;
    }

    /** The file to send, with its pictures that failed to encode left out; empty while it is read. */
    Optional<Attachment> toSend() {
        if (attachment == null) {
            return Optional.empty();
        }
        attachment.pictures().stream().filter(p -> p.failure().isPresent()).forEach(p -> p.choose(false));
        return Optional.of(attachment);
    }

    /** Thumbnails of the pictures that will be sent. */
    List<Thumbnail> chosenThumbnails() {
        return attachment == null ? List.of() : attachment.chosen().stream().map(Attachment.Picture::thumbnail).toList();
    }

    public String name() {
        return name;
    }

    /** True while the file is read (a PDF's pages rendered); nothing can be sent until it is. */
    public ReadOnlyBooleanProperty readingProperty() {
        return reading.getReadOnlyProperty();
    }

    /** What the user should know about the file (that a long PDF offers only its first pages), or empty. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    public ObservableList<PictureItem> pictures() {
        return pictures;
    }

    public boolean isPdf() {
        return attachment != null && attachment.isPdf();
    }

    /** One picture of the file: its thumbnail, its encoding's progress, and whether it is sent. */
    public static final class PictureItem {
        private final Attachment.Picture picture;
        private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
        private final ReadOnlyBooleanWrapper encoded = new ReadOnlyBooleanWrapper(this, "encoded");
        private final ReadOnlyStringWrapper failure = new ReadOnlyStringWrapper(this, "failure", "");
        private final BooleanProperty chosen = new SimpleBooleanProperty(this, "chosen", true);

        PictureItem(Attachment.Picture picture) {
            this.picture = picture;
            chosen.addListener((obs, old, keep) -> picture.choose(keep));
            refresh();
        }

        void refresh() {
            if (picture.isDone()) {
                Optional<String> failed = picture.failure();
                failure.set(failed.orElse(""));
                encoded.set(failed.isEmpty());
                progress.set(1);
            } else {
                progress.set(picture.progress());
            }
        }

        public String label() {
            return picture.label();
        }

        /** The PDF page it shows, from 1; 0 for an image file. */
        public int page() {
            return picture.page();
        }

        public Thumbnail thumbnail() {
            return picture.thumbnail();
        }

        /** How far its encoding is, 0 to 1. */
        public ReadOnlyDoubleProperty progressProperty() {
            return progress.getReadOnlyProperty();
        }

        /** True once it is encoded and ready to send. */
        public ReadOnlyBooleanProperty encodedProperty() {
            return encoded.getReadOnlyProperty();
        }

        /** Why it could not be encoded (it is not sent then); empty otherwise. */
        public ReadOnlyStringProperty failureProperty() {
            return failure.getReadOnlyProperty();
        }

        /** Whether it is sent with the message (a PDF's pages can be left out one by one). */
        public BooleanProperty chosenProperty() {
            return chosen;
        }
    }
}
