package dev.kestrel.ui.sidebar;

import dev.kestrel.app.Failure;
import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.ConversationSummary;
import dev.kestrel.app.chat.HistoryHit;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The conversation list, grouped by date with pinned ones first, and the search over all history.
 * A deleted conversation disappears at once but is only deleted when {@link #commitDelete} runs (the
 * view does after a few seconds, or when another is deleted), so Undo can bring it back. Methods run
 * on the UI thread; the history is read and written on {@code background}.
 */
public final class SidebarViewModel {

    static final int SHOWN = 200;
    static final int HITS = 50;

    /** A row of the list: a date heading, or a conversation. */
    public sealed interface Row {
        record Heading(String label) implements Row {}

        record Entry(ConversationSummary conversation) implements Row {}
    }

    private final Executor ui;
    private final Executor background;
    private final Clock clock;
    private final ObservableList<ConversationSummary> conversations = FXCollections.observableArrayList();
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<HistoryHit> hits = FXCollections.observableArrayList();
    private final StringProperty query = new SimpleStringProperty(this, "query", "");
    private final ReadOnlyBooleanWrapper searching = new ReadOnlyBooleanWrapper(this, "searching");
    private final ReadOnlyStringWrapper pendingDelete = new ReadOnlyStringWrapper(this, "pendingDelete", "");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private ChatService service;
    private ConversationSummary deleting;
    private LongConsumer onDeleted = id -> {};

    public SidebarViewModel(Executor ui, Executor background) {
        this(ui, background, Clock.systemDefaultZone());
    }

    SidebarViewModel(Executor ui, Executor background, Clock clock) {
        this.ui = ui;
        this.background = background;
        this.clock = clock;
        query.addListener((obs, old, now) -> search(now));
    }

    public void attach(ChatService chat) {
        this.service = chat;
        refresh();
    }

    /** The model is being switched: nothing is read until {@link #attach} brings the next service. */
    public void detach() {
        commitDelete();
        service = null;
    }

    /** Called with a conversation's id once it is really deleted (the chat closes it if it is open). */
    public void setOnDeleted(LongConsumer listener) {
        onDeleted = listener;
    }

    public void refresh() {
        if (service == null) {
            return;
        }
        ChatService chat = service;
        background.execute(() -> {
            List<ConversationSummary> recent = chat.history().conversations(SHOWN);
            ui.execute(() -> show(recent));
        });
        if (searching.get()) {
            search(query.get());
        }
    }

    private void show(List<ConversationSummary> recent) {
        List<ConversationSummary> shown = recent.stream().filter(c -> deleting == null || c.id() != deleting.id()).toList();
        conversations.setAll(shown);
        rows.setAll(group(shown, LocalDate.now(clock), clock.getZone()));
    }

    /** Rows for {@code conversations} (pinned first, then newest first): Pinned, Today, Yesterday, Previous 7 days, Previous 30 days, then by month. */
    static List<Row> group(List<ConversationSummary> conversations, LocalDate today, ZoneId zone) {
        List<Row> rows = new ArrayList<>();
        String last = null;
        for (ConversationSummary conversation : conversations) {
            String label = conversation.pinned() ? "Pinned" : dateLabel(LocalDate.ofInstant(conversation.updatedAt(), zone), today);
            if (!label.equals(last)) {
                rows.add(new Row.Heading(label));
                last = label;
            }
            rows.add(new Row.Entry(conversation));
        }
        return rows;
    }

    private static String dateLabel(LocalDate day, LocalDate today) {
        long daysAgo = ChronoUnit.DAYS.between(day, today);
        if (daysAgo <= 0) {
            return "Today";
        }
        if (daysAgo == 1) {
            return "Yesterday";
        }
        if (daysAgo <= 7) {
            return "Previous 7 days";
        }
        if (daysAgo <= 30) {
            return "Previous 30 days";
        }
        return day.format(DateTimeFormatter.ofPattern(day.getYear() == today.getYear() ? "MMMM" : "MMMM yyyy", Locale.ENGLISH));
    }

    private void search(String text) {
        boolean active = !text.isBlank();
        searching.set(active);
        if (!active || service == null) {
            hits.clear();
            return;
        }
        ChatService chat = service;
        background.execute(() -> {
            List<HistoryHit> found = chat.history().search(text, HITS);
            ui.execute(() -> {
                if (text.equals(query.get())) { // a newer keystroke has its own search under way
                    hits.setAll(found.stream().filter(h -> deleting == null || h.conversationId() != deleting.id()).toList());
                }
            });
        });
    }

    public void rename(ConversationSummary conversation, String title) {
        change(() -> service.history().rename(conversation.id(), title));
    }

    public void togglePin(ConversationSummary conversation) {
        change(() -> service.history().pin(conversation.id(), !conversation.pinned()));
    }

    /** Takes the conversation out of the list; it is deleted by {@link #commitDelete} unless {@link #undoDelete} comes first. */
    public void delete(ConversationSummary conversation) {
        commitDelete();
        deleting = conversation;
        pendingDelete.set(conversation.title());
        conversations.removeIf(c -> c.id() == conversation.id());
        rows.removeIf(r -> r instanceof Row.Entry e && e.conversation().id() == conversation.id());
        removeLonelyHeadings();
        hits.removeIf(h -> h.conversationId() == conversation.id());
    }

    private void removeLonelyHeadings() {
        for (int i = rows.size() - 1; i >= 0; i--) {
            boolean nextIsEntry = i + 1 < rows.size() && rows.get(i + 1) instanceof Row.Entry;
            if (rows.get(i) instanceof Row.Heading && !nextIsEntry) {
                rows.remove(i);
            }
        }
    }

    public void undoDelete() {
        if (deleting == null) {
            return;
        }
        deleting = null;
        pendingDelete.set("");
        refresh();
    }

    /** Deletes the conversation taken out of the list, if any, for good. */
    public void commitDelete() {
        if (deleting == null) {
            return;
        }
        long id = deleting.id();
        deleting = null;
        pendingDelete.set("");
        ChatService chat = service;
        background.execute(() -> {
            try {
                chat.history().delete(id);
                ui.execute(() -> onDeleted.accept(id));
            } catch (RuntimeException e) {
                String message = Failure.of(e).message();
                ui.execute(() -> {
                    notice.set("Could not delete the conversation: " + message);
                    refresh();
                });
            }
        });
    }

    private void change(Runnable action) {
        if (service == null) {
            return;
        }
        background.execute(() -> {
            try {
                action.run();
                ui.execute(() -> {
                    notice.set("");
                    refresh();
                });
            } catch (RuntimeException e) {
                String message = Failure.of(e).message();
                ui.execute(() -> notice.set(message));
            }
        });
    }

    /** The conversations shown, pinned first, then the most recently active. */
    public ObservableList<ConversationSummary> conversations() {
        return conversations;
    }

    /** The list's rows: date headings and conversations. */
    public ObservableList<Row> rows() {
        return rows;
    }

    /** What the search box holds; while it is not blank, {@link #hits} replace the list. */
    public StringProperty queryProperty() {
        return query;
    }

    public ReadOnlyBooleanProperty searchingProperty() {
        return searching.getReadOnlyProperty();
    }

    public ObservableList<HistoryHit> hits() {
        return hits;
    }

    /** The title of the conversation that Undo would bring back; empty when there is none. */
    public ReadOnlyStringProperty pendingDeleteProperty() {
        return pendingDelete.getReadOnlyProperty();
    }

    /** Why the last rename, pin or delete failed; empty otherwise. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    Optional<ConversationSummary> deleting() {
        return Optional.ofNullable(deleting);
    }
}
