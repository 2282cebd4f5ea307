package dev.kestrel.ui.sidebar;

import dev.kestrel.ui.controls.Icons;
import org.kordamp.ikonli.feather.Feather;
import dev.kestrel.app.chat.ConversationSummary;
import dev.kestrel.app.chat.HistoryHit;
import dev.kestrel.ui.controls.NoticeBar;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.util.Duration;

/**
 * New chat, the search box, and the conversations grouped by date (pinned first); while the box
 * holds words, the hits across all history instead. Choosing a conversation or a hit opens it. Right
 * click (or F2, Delete) renames, pins or deletes; a deletion can be undone for a few seconds.
 */
public final class SidebarView extends VBox {

    static final Duration UNDO_TIME = Duration.seconds(6);

    private final SidebarViewModel model;
    private final TextField search = new TextField();
    private final BiConsumer<Long, OptionalLong> onOpen;

    public SidebarView(SidebarViewModel model, Runnable onNewChat, BiConsumer<Long, OptionalLong> onOpen) {
        super(8);
        this.model = model;
        this.onOpen = onOpen;
        getStyleClass().add("sidebar");
        setPadding(new Insets(8));
        setPrefWidth(220);

        Button newChat = Icons.beside(new Button("New chat"), Feather.EDIT);
        newChat.setId("new-chat");
        newChat.setMaxWidth(Double.MAX_VALUE);
        newChat.setAccessibleText("Start a new conversation (Ctrl+N)");
        newChat.setOnAction(e -> onNewChat.run());

        search.setId("search");
        search.setPromptText("Search all chats");
        search.setAccessibleText("Search all conversations (Ctrl+F)");
        search.textProperty().bindBidirectional(model.queryProperty());
        search.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                search.clear();
                e.consume();
            }
        });

        ListView<SidebarViewModel.Row> list = conversationList();
        ListView<HistoryHit> hits = hitList();
        list.visibleProperty().bind(model.searchingProperty().not());
        hits.visibleProperty().bind(model.searchingProperty());
        StackPane lists = new StackPane(list, hits);
        VBox.setVgrow(lists, Priority.ALWAYS);

        Label notice = new Label();
        notice.getStyleClass().add("sidebar-notice");
        notice.setWrapText(true);
        notice.textProperty().bind(model.noticeProperty());
        notice.visibleProperty().bind(model.noticeProperty().isNotEmpty());
        notice.managedProperty().bind(notice.visibleProperty());

        getChildren().addAll(newChat, search, lists, notice, undoBar());
    }

    /** Puts the cursor in the search box (Ctrl+F). */
    public void focusSearch() {
        search.requestFocus();
        search.selectAll();
    }

    private ListView<SidebarViewModel.Row> conversationList() {
        ListView<SidebarViewModel.Row> list = new ListView<>(model.rows());
        list.setId("conversations");
        list.setAccessibleText("Conversations");
        list.setCellFactory(view -> new RowCell());
        list.getSelectionModel().selectedItemProperty().addListener((obs, old, chosen) -> {
            if (chosen instanceof SidebarViewModel.Row.Entry entry) {
                onOpen.accept(entry.conversation().id(), OptionalLong.empty());
            } else if (chosen instanceof SidebarViewModel.Row.Heading) {
                list.getSelectionModel().clearSelection();
            }
        });
        list.setOnKeyPressed(e -> {
            if (list.getSelectionModel().getSelectedItem() instanceof SidebarViewModel.Row.Entry entry) {
                if (e.getCode() == KeyCode.DELETE) {
                    delete(entry.conversation());
                    e.consume();
                } else if (e.getCode() == KeyCode.F2) {
                    rename(entry.conversation());
                    e.consume();
                }
            }
        });
        return list;
    }

    private ListView<HistoryHit> hitList() {
        ListView<HistoryHit> hits = new ListView<>(model.hits());
        hits.setId("search-results");
        hits.setAccessibleText("Search results");
        hits.setPlaceholder(new Label("No matches"));
        hits.setCellFactory(view -> new HitCell());
        hits.getSelectionModel().selectedItemProperty().addListener((obs, old, chosen) -> {
            if (chosen != null) {
                onOpen.accept(chosen.conversationId(), chosen.messageId());
            }
        });
        return hits;
    }

    private NoticeBar undoBar() {
        NoticeBar bar = new NoticeBar(model.pendingDeleteProperty(),
                Bindings.createStringBinding(() -> "Deleted “" + model.pendingDeleteProperty().get() + "”", model.pendingDeleteProperty()),
                "undo-bar", "Undo", "undo-delete", "Undo the deletion", model::undoDelete);
        PauseTransition timer = new PauseTransition(UNDO_TIME);
        timer.setOnFinished(e -> model.commitDelete());
        model.pendingDeleteProperty().addListener((obs, old, now) -> {
            if (now.isEmpty()) {
                timer.stop();
            } else {
                timer.playFromStart();
            }
        });
        return bar;
    }

    private void rename(ConversationSummary conversation) {
        TextInputDialog dialog = new TextInputDialog(conversation.title());
        dialog.setTitle("Rename conversation");
        dialog.setHeaderText(null);
        dialog.setContentText("Title:");
        if (getScene() != null) {
            dialog.initOwner(getScene().getWindow());
        }
        dialog.showAndWait().ifPresent(title -> model.rename(conversation, title));
    }

    private void delete(ConversationSummary conversation) {
        model.delete(conversation);
    }

    /** A heading, or a conversation with its menu. */
    private final class RowCell extends ListCell<SidebarViewModel.Row> {
        RowCell() {
            setPrefWidth(0); // a long title ends in an ellipsis (its tooltip has it whole), not in a sideways scroll bar
        }

        @Override
        protected void updateItem(SidebarViewModel.Row row, boolean empty) {
            super.updateItem(row, empty);
            getStyleClass().removeAll("date-heading", "conversation");
            setContextMenu(null);
            setGraphic(null);
            setTooltip(null);
            if (empty || row == null) {
                setText(null);
                return;
            }
            switch (row) {
                case SidebarViewModel.Row.Heading heading -> {
                    setText(heading.label());
                    getStyleClass().add("date-heading");
                    setMouseTransparent(true);
                    setFocusTraversable(false);
                }
                case SidebarViewModel.Row.Entry entry -> {
                    ConversationSummary conversation = entry.conversation();
                    setText(conversation.title());
                    getStyleClass().add("conversation");
                    setMouseTransparent(false);
                    setFocusTraversable(true);
                    MenuItem rename = new MenuItem("Rename…");
                    rename.setOnAction(e -> rename(conversation));
                    MenuItem pin = new MenuItem(conversation.pinned() ? "Unpin" : "Pin");
                    pin.setOnAction(e -> model.togglePin(conversation));
                    MenuItem delete = new MenuItem("Delete");
                    delete.setOnAction(e -> delete(conversation));
                    setContextMenu(new ContextMenu(rename, pin, delete));
                    setTooltip(new Tooltip(conversation.title()));
                    setAccessibleText(conversation.title() + (conversation.pinned() ? ", pinned" : ""));
                }
            }
        }
    }

    /** A hit: its conversation's title, and the snippet with the matched words in bold. */
    private static final class HitCell extends ListCell<HistoryHit> {
        @Override
        protected void updateItem(HistoryHit hit, boolean empty) {
            super.updateItem(hit, empty);
            setText(null);
            if (empty || hit == null) {
                setGraphic(null);
                return;
            }
            Label title = new Label(hit.title());
            title.getStyleClass().add("hit-title");
            TextFlow snippet = new TextFlow();
            snippet.getStyleClass().add("hit-snippet");
            int at = 0;
            for (HistoryHit.Highlight highlight : hit.highlights()) {
                if (highlight.start() > at) {
                    snippet.getChildren().add(new Text(hit.snippet().substring(at, highlight.start())));
                }
                Text match = new Text(hit.snippet().substring(highlight.start(), highlight.end()));
                match.getStyleClass().add("hit-match");
                snippet.getChildren().add(match);
                at = highlight.end();
            }
            if (at < hit.snippet().length()) {
                snippet.getChildren().add(new Text(hit.snippet().substring(at)));
            }
            snippet.setMaxWidth(180);
            setGraphic(new VBox(2, title, snippet));
            setAccessibleText(hit.title() + ": " + hit.snippet());
        }
    }
}
