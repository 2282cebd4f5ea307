package dev.kestrel.ui.chat;

import dev.kestrel.app.chat.HistoryMessage;
import dev.kestrel.app.chat.Thumbnail;
import java.util.List;
import java.util.OptionalLong;
import dev.kestrel.app.chat.ThinkingStop;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One message as the chat view shows it; a reply's text and footer change while it streams. */
public final class MessageItem {

    public enum Author { USER, ASSISTANT }

    private final Author author;
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");
    private final ReadOnlyStringWrapper footer = new ReadOnlyStringWrapper(this, "footer", "");
    private final ReadOnlyStringWrapper thinking = new ReadOnlyStringWrapper(this, "thinking", "");
    private final List<Thumbnail> pictures;
    private OptionalLong messageId = OptionalLong.empty();
    private final ReadOnlyIntegerWrapper thinkingTokens = new ReadOnlyIntegerWrapper(this, "thinkingTokens");
    private final ReadOnlyStringWrapper thinkingSummary = new ReadOnlyStringWrapper(this, "thinkingSummary", "Thinking");
    private final BooleanProperty thinkingOpen = new SimpleBooleanProperty(this, "thinkingOpen");
    private ThinkingStop budget = ThinkingStop.UNLIMITED;
    private boolean thinkingEnded;

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
        item.messageId = OptionalLong.of(message.id());
        return item;
    }

    /** The message's id in the history, once it is stored. */
    public OptionalLong messageId() {
        return messageId;
    }

    void setMessageId(long id) {
        messageId = OptionalLong.of(id);
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

    /** A reply starts thinking within {@code stop}: the section opens and counts against the budget. */
    void startThinking(ThinkingStop stop) {
        budget = stop;
        thinkingOpen.set(true);
        summarize(false, false);
    }

    /** Thinking tokens so far, while the model thinks. */
    void thoughtSoFar(int tokens) {
        thinkingTokens.set(tokens);
        summarize(false, false);
    }

    /** The answer starts: the section closes, and says how long the model thought. */
    void endThinking(int tokens, boolean forced) {
        thinkingEnded = true;
        thinkingTokens.set(tokens);
        thinkingOpen.set(false);
        summarize(true, forced);
    }

    /** The reply ended; if it was still thinking (stopped, failed), its section closes. */
    void stopThinking(int tokens) {
        if (thinkingOpen.get() && !thinkingEnded) {
            endThinking(Math.max(tokens, thinkingTokens.get()), false);
        }
    }

    private void summarize(boolean ended, boolean forced) {
        int tokens = thinkingTokens.get();
        if (ended) {
            thinkingSummary.set("Thought for " + tokens + (tokens == 1 ? " token" : " tokens") + (forced ? " · budget reached" : ""));
        } else {
            thinkingSummary.set("Thinking · " + tokens + (budget == ThinkingStop.UNLIMITED ? "" : " / " + budget.label()) + " tokens");
        }
    }

    /** Thinking tokens the reply used (counted as they stream, exact once the answer starts). */
    public ReadOnlyIntegerProperty thinkingTokensProperty() {
        return thinkingTokens.getReadOnlyProperty();
    }

    /** The thinking section's title: tokens used against the budget while thinking, then how long it thought. */
    public ReadOnlyStringProperty thinkingSummaryProperty() {
        return thinkingSummary.getReadOnlyProperty();
    }

    /** Whether the thinking section is open: while the model thinks, and when the user opens it again. */
    public BooleanProperty thinkingOpenProperty() {
        return thinkingOpen;
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
