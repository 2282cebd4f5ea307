package dev.kestrel.ui.chat;

import dev.kestrel.app.chat.HistoryMessage;
import dev.kestrel.app.chat.Thumbnail;
import java.util.List;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One message as the chat view shows it; a reply's text and footer change while it streams. */
public final class MessageItem {

    public enum Author { USER, ASSISTANT }

    private final Author author;
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");
    private final ReadOnlyStringWrapper footer = new ReadOnlyStringWrapper(this, "footer", "");
    private final ReadOnlyStringWrapper thinking = new ReadOnlyStringWrapper(this, "thinking", "");
    private final List<Thumbnail> pictures;

    MessageItem(Author author, String text) {
        this(author, text, List.of());
    }

    MessageItem(Author author, String text, List<Thumbnail> pictures) {
        this.author = author;
        this.text.set(text);
        this.pictures = List.copyOf(pictures);
    }

    static MessageItem of(HistoryMessage message) {
        MessageItem item = new MessageItem(message.speaker() == HistoryMessage.Speaker.USER ? Author.USER : Author.ASSISTANT,
                message.text(), message.pictures());
        if (!"complete".equals(message.status())) {
            item.footer.set(message.status());
        }
        item.thinking.set(message.thinking());
        return item;
    }

    /** Thumbnails of the pictures sent with the message (a PDF's chosen pages one by one). */
    public List<Thumbnail> pictures() {
        return pictures;
    }

    public Author author() {
        return author;
    }

    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public String text() {
        return text.get();
    }

    public ReadOnlyStringProperty footerProperty() {
        return footer.getReadOnlyProperty();
    }

    /** What the model thought before this reply; empty when it did not think. */
    public ReadOnlyStringProperty thinkingProperty() {
        return thinking.getReadOnlyProperty();
    }

    void appendThinking(String delta) {
        thinking.set(thinking.get() + delta);
    }

    void setThinking(String value) {
        thinking.set(value);
    }

    void append(String delta) {
        text.set(text.get() + delta);
    }

    void setText(String value) {
        text.set(value);
    }

    void setFooter(String value) {
        footer.set(value);
    }
}
