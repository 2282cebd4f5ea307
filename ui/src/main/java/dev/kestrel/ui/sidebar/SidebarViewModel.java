package dev.kestrel.ui.sidebar;

import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.ConversationSummary;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The conversation list: the most recent first, reloaded when the history changes. */
public final class SidebarViewModel {

    static final int SHOWN = 200;

    private final Executor ui;
    private final Executor background;
    private final ObservableList<ConversationSummary> conversations = FXCollections.observableArrayList();
    private ChatService service;

    public SidebarViewModel(Executor ui, Executor background) {
        this.ui = ui;
        this.background = background;
    }

    public void attach(ChatService chat) {
        this.service = chat;
        refresh();
    }

    public void refresh() {
        if (service == null) {
            return;
        }
        ChatService chat = service;
        background.execute(() -> {
            List<ConversationSummary> recent = chat.conversations(SHOWN);
            ui.execute(() -> conversations.setAll(recent));
        });
    }

    public ObservableList<ConversationSummary> conversations() {
        return conversations;
    }
}
