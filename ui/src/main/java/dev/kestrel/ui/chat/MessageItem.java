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
