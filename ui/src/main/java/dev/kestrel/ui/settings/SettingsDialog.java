package dev.kestrel.ui.settings;

import dev.kestrel.app.chat.SamplingChoice;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Edits {@link ChatSettings}: system prompts and how replies choose their tokens (greedy, or the
 * sampling values, each left empty to take the model's own).
 */
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
        greedy.setSelected(current.sampling().greedy());
        SamplingChoice model = current.modelSampling();
        SamplingChoice mine = current.sampling();
        TextField temperature = field("temperature", mine.greedy() ? OptionalDouble.empty() : mine.temperature(), model.temperature());
        TextField topP = field("top-p", mine.topP(), model.topP());
        TextField topK = field("top-k", whole(mine.topK()), whole(model.topK()));
        TextField minP = field("min-p", mine.minP(), model.minP());
        TextField penalty = field("repetition-penalty", mine.repetitionPenalty(), model.repetitionPenalty());
        GridPane sampling = new GridPane(8, 4);
        sampling.addRow(0, new Label("Temperature"), temperature, new Label("Top-p"), topP);
        sampling.addRow(1, new Label("Top-k"), topK, new Label("Min-p"), minP);
        sampling.addRow(2, new Label("Repetition penalty"), penalty);
        sampling.disableProperty().bind(greedy.selectedProperty());
        Label samplingNote = new Label("Empty fields take the model's own values, shown in grey.");
        samplingNote.getStyleClass().add("footer");
        Label problem = new Label();
        problem.setId("settings-problem");
        problem.getStyleClass().add("sidebar-notice");

        VBox form = new VBox(6, conversationLabel, conversation, freshLabel, fresh, greedy, sampling, samplingNote, problem);
        form.setPadding(new Insets(12));
        form.setPrefWidth(520);
        getDialogPane().setContent(form);
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
        // A value the sampler would refuse keeps the dialog open, saying why.
        getDialogPane().lookupButton(save).addEventFilter(javafx.event.ActionEvent.ACTION, event -> {
            try {
                chosen = greedy.isSelected() ? SamplingChoice.GREEDY : new SamplingChoice(number(temperature), number(topP),
                        wholeNumber(topK), number(minP), number(penalty));
                problem.setText("");
            } catch (RuntimeException e) {
                problem.setText(e instanceof NumberFormatException ? "Numbers only, please: " + e.getMessage() : e.getMessage());
                event.consume();
            }
        });
        setResultConverter(button -> button == save
                ? new ChatSettings(current.conversationPrompt().map(old -> conversation.getText()), fresh.getText(), chosen, model)
                : null);
    }

    private SamplingChoice chosen;

    private static TextField field(String id, OptionalDouble value, OptionalDouble modelValue) {
        TextField field = new TextField(value.isPresent() ? format(value.getAsDouble()) : "");
        field.setId(id);
        field.setPrefColumnCount(6);
        field.setPromptText(modelValue.isPresent() ? format(modelValue.getAsDouble()) : "");
        field.setAccessibleText(id + (modelValue.isPresent() ? "; the model's own is " + format(modelValue.getAsDouble()) : ""));
        return field;
    }

    private static OptionalDouble whole(OptionalInt value) {
        return value.isPresent() ? OptionalDouble.of(value.getAsInt()) : OptionalDouble.empty();
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value) : Double.toString(value);
    }

    private static OptionalDouble number(TextField field) {
        String text = field.getText().strip();
        return text.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(text));
    }

    private static OptionalInt wholeNumber(TextField field) {
        String text = field.getText().strip();
        return text.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
    }

    /** Shows the dialog and returns the new settings, or empty when it was cancelled. */
    public Optional<ChatSettings> ask() {
        return showAndWait();
    }
}
