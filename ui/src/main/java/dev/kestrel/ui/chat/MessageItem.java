package dev.kestrel.ui.chat;

import dev.kestrel.app.chat.HistoryMessage;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One message as the chat view shows it; a reply's text and footer change while it streams. */
public final class MessageItem {

    public enum Author { USER, ASSISTANT }

    private final Author author;
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");
    private final ReadOnlyStringWrapper footer = new ReadOnlyStringWrapper(this, "footer", "");
    private final ReadOnlyStringWrapper thinking = new ReadOnlyStringWrapper(this, "thinking", "");

    MessageItem(Author author, String text) {
        this.author = author;
        this.text.set(text);
    }

    static MessageItem of(HistoryMessage message) {
        MessageItem item = new MessageItem(message.speaker() == HistoryMessage.Speaker.USER ? Author.USER : Author.ASSISTANT,
                message.text());
        if (!"complete".equals(message.status())) {
            item.footer.set(message.status());
        }
        item.thinking.set(message.thinking());
        return item;
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
