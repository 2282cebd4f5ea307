package dev.kestrel.ui.settings;

import dev.kestrel.ui.controls.Icons;
import org.kordamp.ikonli.feather.Feather;
import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.SamplingChoice;
import dev.kestrel.ui.controls.LabelConverter;
import javafx.collections.FXCollections;
import javafx.scene.control.ChoiceBox;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.DirectoryChooser;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Edits {@link ChatSettings}: system prompts, how replies choose their tokens (greedy, or the
 * sampling values, each left empty to take the model's own, and a seed), the model's CPU threads and
 * the data folder.
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
        TextField seed = new TextField(mine.seed().isPresent() ? Long.toString(mine.seed().getAsLong()) : "");
        seed.setId("seed");
        seed.setPrefColumnCount(6);
        seed.setPromptText("new each reply");
        seed.setAccessibleText("Seed; empty draws a new one for each reply, a number repeats replies");
        GridPane sampling = new GridPane(8, 4);
        sampling.addRow(0, labelled("Temperature", temperature), temperature, labelled("Top-p", topP), topP);
        sampling.addRow(1, labelled("Top-k", topK), topK, labelled("Min-p", minP), minP);
        sampling.addRow(2, labelled("Repetition penalty", penalty), penalty, labelled("Seed", seed), seed);
        sampling.disableProperty().bind(greedy.selectedProperty());
        Label samplingNote = new Label("Empty fields take the model's own values, shown in grey.");
        samplingNote.getStyleClass().add("footer");

        TextField threads = new TextField(current.threads().isPresent() ? Integer.toString(current.threads().getAsInt()) : "");
        threads.setId("threads");
        threads.setPrefColumnCount(6);
        threads.setPromptText("one per core (" + current.cores() + ")");
        threads.setAccessibleText("CPU threads for the model; empty is one per core, " + current.cores());
        ChoiceBox<String> device = new ChoiceBox<>(FXCollections.observableArrayList(ChatService.DEVICE_CHOICES));
        device.setId("device");
        device.setValue(current.device());
        device.setAccessibleText("What the model runs on");
        device.setConverter(LabelConverter.of(choice -> switch (choice) {
            case "auto" -> "Automatic: NPU, then GPU, then CPU";
            case "cpu" -> "CPU";
            case "gpu" -> "GPU";
            case "npu" -> "NPU";
            default -> choice;
        }, device::getItems, "auto"));
        HBox engine = new HBox(8, labelled("Runs on", device), device, labelled("CPU threads", threads), threads);
        engine.setAlignment(Pos.BASELINE_LEFT);

        Label folder = new Label(current.dataFolder().toString());
        folder.setId("data-folder");
        folder.setWrapText(true);
        Button chooseFolder = Icons.beside(new Button("Move…"), Feather.FOLDER);
        chooseFolder.setId("choose-data-folder");
        chooseFolder.setAccessibleText("Move Kestrel's data to another folder");
        current.dataFolderFixedBy().ifPresent(by -> {
            chooseFolder.setDisable(true);
            folder.setText(current.dataFolder() + " (set by " + by + ")");
        });
        chooseFolder.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Move Kestrel's data to");
            java.io.File picked = chooser.showDialog(getDialogPane().getScene().getWindow());
            if (picked != null) {
                dataFolder = picked.toPath().toAbsolutePath();
                folder.setText(dataFolder + " (the history and models are copied there on Save)");
            }
        });
        HBox data = new HBox(8, folder, chooseFolder);
        data.setAlignment(Pos.BASELINE_LEFT);
        HBox.setHgrow(folder, Priority.ALWAYS);
        Label dataLabel = new Label("Data folder: history, models and caches");
        dataLabel.setLabelFor(chooseFolder);
        dataFolder = current.dataFolder();

        Label problem = new Label();
        problem.setId("settings-problem");
        problem.getStyleClass().add("sidebar-notice");

        VBox form = new VBox(6, conversationLabel, conversation, freshLabel, fresh, greedy, sampling, samplingNote, engine, dataLabel, data,
                problem);
        form.setPadding(new Insets(12));
        form.setPrefWidth(520);
        getDialogPane().setContent(form);
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
        // A value the sampler would refuse keeps the dialog open, saying why.
        getDialogPane().lookupButton(save).addEventFilter(javafx.event.ActionEvent.ACTION, event -> {
            try {
                OptionalLong seedValue = seed.getText().isBlank() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(seed.getText().strip()));
                chosen = greedy.isSelected() ? SamplingChoice.GREEDY : new SamplingChoice(number(temperature), number(topP),
                        wholeNumber(topK), number(minP), number(penalty), seedValue);
                chosenThreads = wholeNumber(threads);
                if (chosenThreads.isPresent() && (chosenThreads.getAsInt() < 1 || chosenThreads.getAsInt() > 1024)) {
                    throw new IllegalArgumentException("CPU threads must be from 1 to 1024, or empty for one per core");
                }
                problem.setText("");
            } catch (RuntimeException e) {
                problem.setText(e instanceof NumberFormatException ? "Numbers only, please: " + e.getMessage() : e.getMessage());
                event.consume();
            }
        });
        setResultConverter(button -> button == save
                ? new ChatSettings(current.conversationPrompt().map(old -> conversation.getText()), fresh.getText(), chosen, model,
                        device.getValue(), chosenThreads, current.cores(), dataFolder, current.dataFolderFixedBy())
                : null);
    }

    private SamplingChoice chosen;
    private OptionalInt chosenThreads = OptionalInt.empty();
    private Path dataFolder;

    private static Label labelled(String text, javafx.scene.Node control) {
        Label label = new Label(text);
        label.setLabelFor(control);
        return label;
    }

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
