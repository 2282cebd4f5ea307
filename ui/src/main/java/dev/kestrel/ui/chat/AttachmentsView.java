package dev.kestrel.ui.chat;

import dev.kestrel.ui.controls.Icons;
import org.kordamp.ikonli.feather.Feather;
import dev.kestrel.app.chat.Thumbnail;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The composer's attached files: a strip of thumbnails, each with its encoding's progress ring and a
 * remove button; a PDF's pages each with a box to leave the page out. Shows nothing when no file is
 * attached, except why the last file could not be.
 */
final class AttachmentsView extends VBox {

    static final int SHOWN_SIDE = 72;

    private final ChatViewModel model;
    private final HBox strip = new HBox(8);

    AttachmentsView(ChatViewModel model) {
        this.model = model;
        setId("attachments");
        getStyleClass().add("attachments");
        strip.setAlignment(Pos.CENTER_LEFT);
        ScrollPane scroll = new ScrollPane(strip);
        scroll.setFitToHeight(true);
        scroll.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("attachment-strip");
        scroll.visibleProperty().bind(Bindings.isNotEmpty(model.attachments()));
        scroll.managedProperty().bind(scroll.visibleProperty());

        Label notice = new Label();
        notice.setId("attachment-notice");
        notice.getStyleClass().add("attachment-notice");
        notice.setWrapText(true);
        notice.textProperty().bind(model.attachmentNoticeProperty());
        notice.visibleProperty().bind(model.attachmentNoticeProperty().isNotEmpty());
        notice.managedProperty().bind(notice.visibleProperty());

        getChildren().addAll(scroll, notice);
        model.attachments().addListener((ListChangeListener<AttachmentItem>) change -> rebuild());
    }

    private void rebuild() {
        strip.getChildren().setAll(model.attachments().stream().map(this::fileNode).toList());
    }

    private Node fileNode(AttachmentItem item) {
        HBox pictures = new HBox(6);
        pictures.setAlignment(Pos.CENTER_LEFT);
        Runnable showPictures = () -> {
            if (item.readingProperty().get()) {
                ProgressIndicator reading = new ProgressIndicator();
                reading.setPrefSize(SHOWN_SIDE / 2.0, SHOWN_SIDE / 2.0);
                Label name = new Label("Reading " + item.name() + "…");
                pictures.getChildren().setAll(reading, name);
            } else {
                pictures.getChildren().setAll(item.pictures().stream().map(p -> pictureNode(item, p)).toList());
            }
        };
        showPictures.run();
        item.readingProperty().addListener((obs, old, now) -> showPictures.run());

        Button remove = Icons.only(new Button("Remove"), Feather.X);
        remove.getStyleClass().add("remove-attachment");
        remove.setAccessibleText("Remove " + item.name());
        remove.setOnAction(e -> model.remove(item));
        Label note = new Label();
        note.getStyleClass().add("attachment-note");
        note.textProperty().bind(item.noteProperty());
        note.visibleProperty().bind(item.noteProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        HBox top = new HBox(4, pictures, remove);
        top.setAlignment(Pos.TOP_LEFT);
        VBox file = new VBox(2, top, note);
        if (item.canChoosePages() || item.readingProperty().get()) {
            // A long PDF: which of its pages are shown (and sent) can be written here.
            javafx.scene.control.TextField pages = new javafx.scene.control.TextField(item.pagesProperty().get());
            pages.getStyleClass().add("pdf-pages");
            pages.setPrefColumnCount(8);
            pages.setPromptText("e.g. 11-20");
            pages.setAccessibleText("Pages of " + item.name() + " to show, at most " + dev.kestrel.app.chat.Attachment.MAX_PAGES);
            item.pagesProperty().addListener((obs, old, now) -> pages.setText(now));
            pages.setOnAction(e -> model.choosePages(item, pages.getText()));
            pages.disableProperty().bind(item.readingProperty());
            Label pagesLabel = new Label("Pages");
            pagesLabel.setLabelFor(pages);
            HBox choice = new HBox(6, pagesLabel, pages);
            choice.setAlignment(Pos.CENTER_LEFT);
            choice.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(item::canChoosePages, item.pagesProperty()));
            choice.managedProperty().bind(choice.visibleProperty());
            file.getChildren().add(choice);
        }
        file.getStyleClass().add("attachment");
        file.setAccessibleText("Attached: " + item.name());
        return file;
    }

    private Node pictureNode(AttachmentItem item, AttachmentItem.PictureItem picture) {
        ImageView view = new ImageView(image(picture.thumbnail()));
        view.setFitWidth(SHOWN_SIDE);
        view.setFitHeight(SHOWN_SIDE);
        view.setPreserveRatio(true);
        view.setSmooth(true);
        view.getStyleClass().add("attachment-thumbnail");
        ProgressIndicator encoding = new ProgressIndicator();
        encoding.getStyleClass().add("encoding-progress");
        encoding.setMaxSize(28, 28);
        encoding.progressProperty().bind(picture.progressProperty());
        encoding.visibleProperty().bind(picture.encodedProperty().not().and(picture.failureProperty().isEmpty()));
        Label failed = new Label("!");
        failed.getStyleClass().add("encoding-failed");
        failed.visibleProperty().bind(picture.failureProperty().isNotEmpty());
        StackPane frame = new StackPane(view, encoding, failed);
        frame.setMinSize(SHOWN_SIDE, SHOWN_SIDE);
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(Bindings.createStringBinding(() -> picture.failureProperty().get().isEmpty()
                ? picture.label() + (picture.encodedProperty().get() ? " · ready" : " · encoding")
                : picture.label() + ": " + picture.failureProperty().get(), picture.encodedProperty(), picture.failureProperty()));
        Tooltip.install(frame, tip);
        frame.accessibleTextProperty().bind(tip.textProperty());
        if (!item.isPdf()) {
            return frame;
        }
        CheckBox page = new CheckBox("p. " + picture.page());
        page.selectedProperty().bindBidirectional(picture.chosenProperty());
        page.setAccessibleText("Send page " + picture.page() + " of " + item.name());
        VBox box = new VBox(2, frame, page);
        box.setAlignment(Pos.CENTER);
        return box;
    }

    /** A thumbnail as a JavaFX image. */
    static Image image(Thumbnail thumbnail) {
        WritableImage image = new WritableImage(thumbnail.width(), thumbnail.height());
        image.getPixelWriter().setPixels(0, 0, thumbnail.width(), thumbnail.height(), PixelFormat.getIntArgbInstance(),
                thumbnail.argb(), 0, thumbnail.width());
        return image;
    }

    /** Small views of a sent message's pictures. */
    static HBox strip(List<Thumbnail> thumbnails) {
        HBox row = new HBox(6);
        for (Thumbnail thumbnail : thumbnails) {
            ImageView view = new ImageView(image(thumbnail));
            view.setFitWidth(SHOWN_SIDE * 1.5);
            view.setFitHeight(SHOWN_SIDE * 1.5);
            view.setPreserveRatio(true);
            view.getStyleClass().add("message-picture");
            row.getChildren().add(view);
        }
        return row;
    }
}
