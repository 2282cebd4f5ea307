package dev.kestrel.ui.sidebar;

import dev.kestrel.app.chat.ConversationSummary;
import java.util.function.LongConsumer;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** New chat, and the stored conversations; choosing one opens it. */
public final class SidebarView extends VBox {

    public SidebarView(SidebarViewModel model, Runnable onNewChat, LongConsumer onOpen) {
        super(8);
        getStyleClass().add("sidebar");
        setPadding(new Insets(8));
        setPrefWidth(220);

        Button newChat = new Button("New chat");
        newChat.setId("new-chat");
        newChat.setMaxWidth(Double.MAX_VALUE);
        newChat.setAccessibleText("Start a new conversation");
        newChat.setOnAction(e -> onNewChat.run());

        ListView<ConversationSummary> list = new ListView<>(model.conversations());
        list.setId("conversations");
        list.setAccessibleText("Conversations");
        list.setCellFactory(view -> new ListCell<>() {
            @Override
            protected void updateItem(ConversationSummary item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.title());
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((obs, old, chosen) -> {
            if (chosen != null) {
                onOpen.accept(chosen.id());
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(newChat, list);
    }
}
