package dev.kestrel.ui.settings;

import java.util.Optional;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Edits {@link ChatSettings}: system prompts and how replies choose their tokens. */
public final class SettingsDialog extends Dialog<ChatSettings> {

    public SettingsDialog(Window owner, ChatSettings current) {
        initOwner(owner);
        setTitle("Settings");
        setHeaderText(null);

        TextArea conversation = new TextArea(current.conversationPrompt().orElse(""));
        conversation.setId("conversation-prompt");
        conversation.setPrefRowCount(4);
        conversation.setWrapText(true);
        conversation.setDisable(current.conversationPrompt().isEmpty());
        conversation.setPromptText(current.conversationPrompt().isEmpty() ? "No conversation is open" : "None");
        conversation.setAccessibleText("System prompt of this conversation");
        Label conversationLabel = new Label("System prompt of this conversation");
        conversationLabel.setLabelFor(conversation);

        TextArea fresh = new TextArea(current.newConversationPrompt());
        fresh.setId("new-conversation-prompt");
        fresh.setPrefRowCount(4);
        fresh.setWrapText(true);
        fresh.setPromptText("None");
        fresh.setAccessibleText("System prompt new conversations start with");
        Label freshLabel = new Label("System prompt new conversations start with");
        freshLabel.setLabelFor(fresh);

        CheckBox greedy = new CheckBox("Always take the most likely token (the same question gets the same reply)");
        greedy.setId("greedy");
        greedy.setSelected(current.greedy());

        VBox form = new VBox(6, conversationLabel, conversation, freshLabel, fresh, greedy);
        form.setPadding(new Insets(12));
        form.setPrefWidth(520);
        getDialogPane().setContent(form);
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
        setResultConverter(button -> button == save
                ? new ChatSettings(current.conversationPrompt().map(old -> conversation.getText()), fresh.getText(), greedy.isSelected())
                : null);
    }

    /** Shows the dialog and returns the new settings, or empty when it was cancelled. */
    public Optional<ChatSettings> ask() {
        return showAndWait();
    }
}
