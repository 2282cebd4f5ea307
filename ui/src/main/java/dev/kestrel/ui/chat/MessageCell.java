package dev.kestrel.ui.chat;

import dev.kestrel.ui.controls.Icons;
import org.kordamp.ikonli.feather.Feather;
import dev.kestrel.ui.chat.markdown.MarkdownView;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableDoubleValue;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * A message: who wrote it, the pictures sent with it, the model's thinking, the text (a reply's as
 * Markdown, a question's as typed) and a footer with its state or figures and a Copy button.
 */
final class MessageCell extends ListCell<MessageItem> {

    private final Label author = new Label();
    private final Label thinking = new Label();
    private final Button thinkingToggle = new Button();
    private final Label text = new Label();
    private final MarkdownView markdown = new MarkdownView();
    private final Label footer = new Label();
    private final Button copy = Icons.only(new Button("Copy"), Feather.COPY);
    private final Button edit = Icons.only(new Button("Edit"), Feather.EDIT_2);
    private final Button regenerate = Icons.only(new Button("Regenerate"), Feather.REFRESH_CW);
    private final ChatViewModel model;
    private final HBox pictures = new HBox();
    private final ChangeListener<String> onReplyText = (obs, old, now) -> markdown.setMarkdown(now);
    private final VBox box;
    private MessageItem shown;

    MessageCell(ObservableDoubleValue listWidth, ChatViewModel model) {
        this.model = model;
        author.getStyleClass().add("author");
        text.getStyleClass().add("message-text");
        text.setWrapText(true);
        thinking.getStyleClass().add("thinking-text");
        thinking.setWrapText(true);
        thinking.maxWidthProperty().bind(Bindings.subtract(listWidth, 40));
        text.maxWidthProperty().bind(Bindings.subtract(listWidth, 40));
        markdown.maxWidthProperty().bind(Bindings.subtract(listWidth, 40));
        thinkingToggle.getStyleClass().add("thinking-toggle");
        thinkingToggle.setFocusTraversable(false);
        thinkingToggle.setOnAction(e -> {
            if (shown != null) {
                shown.thinkingOpenProperty().set(!shown.thinkingOpenProperty().get());
            }
        });
        footer.getStyleClass().add("footer");
        copy.getStyleClass().add("message-action");
        copy.setFocusTraversable(false);
        copy.setOnAction(e -> {
            if (shown != null) {
                ClipboardContent content = new ClipboardContent();
                content.putString(shown.text());
                Clipboard.getSystemClipboard().setContent(content);
            }
        });
        edit.getStyleClass().addAll("message-action", "edit-message");
        edit.setFocusTraversable(false);
        edit.setAccessibleText("Edit the question and ask it again");
        edit.setOnAction(e -> {
            if (shown != null) {
                model.edit(shown);
            }
        });
        regenerate.getStyleClass().addAll("message-action", "regenerate");
        regenerate.setFocusTraversable(false);
        regenerate.setAccessibleText("Write another reply");
        regenerate.setOnAction(e -> model.regenerate());
        regenerate.disableProperty().bind(model.replyingProperty());
        edit.disableProperty().bind(model.replyingProperty());
        HBox bottom = new HBox(8, footer, copy, edit, regenerate);
        bottom.setAlignment(Pos.CENTER_LEFT);
        box = new VBox(2, author, pictures, thinkingToggle, thinking, text, markdown, bottom);
        setPrefWidth(0);
    }

    /**
     * As tall as the message is. The list cell's own preferred height is the theme's one-line cell size,
     * so without this a message is only as tall as its contents' minimum: a thinking section opened
     * after the cell was laid out would show one line of its text and an ellipsis.
     */
    @Override
    protected double computePrefHeight(double width) {
        if (getGraphic() == null) {
            return super.computePrefHeight(width);
        }
        double inner = width < 0 ? -1 : width - snappedLeftInset() - snappedRightInset();
        return snappedTopInset() + getGraphic().prefHeight(inner) + snappedBottomInset();
    }

    @Override
    protected void updateItem(MessageItem item, boolean empty) {
        super.updateItem(item, empty);
        if (shown != null) {
            shown.textProperty().removeListener(onReplyText);
        }
        shown = null;
        text.textProperty().unbind();
        thinking.textProperty().unbind();
        thinkingToggle.textProperty().unbind();
        thinkingToggle.accessibleTextProperty().unbind();
        footer.textProperty().unbind();
        getStyleClass().removeAll("user", "assistant");
        if (empty || item == null) {
            setGraphic(null);
            return;
        }
        shown = item;
        boolean user = item.author() == MessageItem.Author.USER;
        author.setText(user ? "You" : "Kestrel");
        getStyleClass().add(user ? "user" : "assistant");
        text.setVisible(user);
        text.setManaged(user);
        markdown.setVisible(!user);
        markdown.setManaged(!user);
        if (user) {
            text.textProperty().bind(item.textProperty());
        } else {
            markdown.setMarkdown(item.text());
            item.textProperty().addListener(onReplyText);
        }
        copy.setAccessibleText(user ? "Copy the question" : "Copy the reply");
        edit.setVisible(user);
        edit.setManaged(user);
        boolean last = getIndex() == getListView().getItems().size() - 1;
        regenerate.setVisible(!user && last);
        regenerate.setManaged(!user && last);
        pictures.getChildren().setAll(item.pictures().isEmpty() ? List.of() : List.of(AttachmentsView.strip(item.pictures())));
        pictures.setManaged(!item.pictures().isEmpty());
        thinking.textProperty().bind(item.thinkingProperty());
        thinkingToggle.textProperty().bind(Bindings.when(item.thinkingOpenProperty()).then("▾ ").otherwise("▸ ")
                .concat(item.thinkingSummaryProperty()));
        thinkingToggle.accessibleTextProperty().bind(Bindings.when(item.thinkingOpenProperty()).then("Hide the thinking: ")
                .otherwise("Show the thinking: ").concat(item.thinkingSummaryProperty()));
        thinkingToggle.visibleProperty().bind(item.thinkingProperty().isNotEmpty());
        thinkingToggle.managedProperty().bind(thinkingToggle.visibleProperty());
        thinking.visibleProperty().bind(item.thinkingProperty().isNotEmpty().and(item.thinkingOpenProperty()));
        thinking.managedProperty().bind(thinking.visibleProperty());
        footer.textProperty().bind(item.footerProperty());
        setAccessibleText((user ? "You: " : "Kestrel: ") + item.text());
        setGraphic(box);
    }
}
