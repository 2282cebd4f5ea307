package dev.kestrel.ui.chat;

import dev.kestrel.ui.controls.Icons;
import org.kordamp.ikonli.feather.Feather;
import dev.kestrel.app.chat.ThinkingStop;
import dev.kestrel.ui.controls.NoticeBar;
import dev.kestrel.ui.settings.SettingsDialog;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.input.Clipboard;
import javafx.scene.input.Dragboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.stage.FileChooser;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The conversation: messages above, the composer below. Enter sends, Shift+Enter starts a new line,
 * Esc stops. Images and PDFs are attached by dropping them anywhere on the chat, pasting them
 * (files, or a picture such as a screenshot) or picking them.
 */
public final class ChatView extends BorderPane {

    private static final KeyCombination PASTE = new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN);
    private static final DateTimeFormatter PASTED_NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH.mm.ss");

    private final ChatViewModel model;
    private final ListView<MessageItem> messages = new ListView<>();
    private final TextArea composer = new TextArea();
    private final HBox top = new HBox(8);

    public ChatView(ChatViewModel model) {
        this.model = model;
        getStyleClass().add("chat");

        Label status = new Label();
        status.setId("status");
        status.getStyleClass().add("status");
        status.textProperty().bind(model.statusProperty());
        status.setAccessibleHelp("The model and the device it runs on");
        Label badge = new Label();
        badge.setId("device-badge");
        badge.getStyleClass().add("device-badge");
        badge.textProperty().bind(model.deviceBadgeProperty());
        badge.visibleProperty().bind(model.deviceBadgeProperty().isNotEmpty());
        Tooltip where = new Tooltip();
        where.textProperty().bind(model.deviceDetailProperty());
        badge.setTooltip(where);
        badge.accessibleTextProperty().bind(model.deviceDetailProperty());
        model.deviceFellBackProperty().addListener((obs, old, fell) -> {
            badge.getStyleClass().remove("fallback");
            if (fell) {
                badge.getStyleClass().add("fallback");
            }
        });
        javafx.scene.layout.Region gap = new javafx.scene.layout.Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Button settings = Icons.only(new Button("Settings…"), Feather.SETTINGS);
        settings.setId("settings");
        settings.setAccessibleText("Settings: system prompts, how replies are chosen, CPU threads and the data folder");
        settings.disableProperty().bind(model.readyProperty().not());
        settings.setOnAction(e -> model.loadSettings(current -> new SettingsDialog(getScene().getWindow(), current).ask()
                .ifPresent(model::saveSettings)));
        top.getChildren().addAll(status, gap, badge, settings);
        top.setAlignment(Pos.CENTER_LEFT);
        top.getStyleClass().add("chat-header");
        setTop(top);

        messages.setId("messages");
        messages.setItems(model.messages());
        messages.setCellFactory(list -> new MessageCell(list.widthProperty(), model));
        messages.setFocusTraversable(false);
        messages.setPlaceholder(emptyConversation());
        messages.setAccessibleText("Messages");
        model.messages().addListener((javafx.collections.ListChangeListener<MessageItem>) change -> {
            // Cells whose item stayed but whose place changed (the reply that is no longer the last one
            // keeps no Regenerate button) are updated too.
            messages.refresh();
            if (model.focusedMessageProperty().get() < 0) {
                scrollToEnd();
            }
        });
        model.focusedMessageProperty().addListener((obs, old, index) -> {
            if (index.intValue() >= 0) {
                messages.scrollTo(index.intValue());
                messages.getSelectionModel().select(index.intValue());
            }
        });
        setCenter(messages);

        composer.setId("composer");
        composer.setPromptText("Message Kestrel (Enter to send, Shift+Enter for a new line)");
        composer.setWrapText(true);
        composer.setPrefRowCount(3);
        composer.textProperty().bindBidirectional(model.draftProperty());
        composer.setAccessibleText("Message");
        composer.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        HBox.setHgrow(composer, Priority.ALWAYS);

        Button send = Icons.beside(new Button("Send"), Feather.SEND);
        send.setId("send");
        send.setDefaultButton(false);
        send.setAccessibleText("Send the message");
        send.disableProperty().bind(model.canSendProperty().not());
        send.setOnAction(e -> model.send());

        Button stop = Icons.beside(new Button("Stop"), Feather.SQUARE);
        stop.setId("stop");
        stop.setAccessibleText("Stop the reply");
        stop.disableProperty().bind(model.replyingProperty().not());
        stop.setOnAction(e -> model.stop());

        Button attach = Icons.beside(new Button("Attach…"), Feather.PAPERCLIP);
        attach.setId("attach");
        attach.setAccessibleText("Attach images or PDFs");
        attach.disableProperty().bind(model.canSeeProperty().not());
        Tooltip textOnly = new Tooltip("This model reads text only; choose a vision model to ask about images");
        model.canSeeProperty().addListener((obs, old, can) -> attach.setTooltip(can ? new Tooltip("Attach images or PDFs (or drop or paste them)") : textOnly));
        attach.setOnAction(e -> pickFiles());

        VBox buttons = new VBox(6, send, stop);
        buttons.setAlignment(Pos.BOTTOM_CENTER);
        HBox row = new HBox(8, composer, buttons);
        HBox controls = thinkingControl();
        // The slider's last tick label reaches past its end; keep the button clear of it.
        HBox.setMargin(attach, new Insets(0, 0, 0, 28));
        controls.getChildren().add(attach);
        NoticeBar editingBar = new NoticeBar(model.editingProperty(),
                new javafx.beans.property.SimpleStringProperty("Editing your question: sending asks it again from there; the old version stays in the history"),
                "editing-bar", "Cancel", "cancel-edit", "Stop editing; the question stays as it was", model::cancelEdit);
        model.editingProperty().addListener((obs, old, now) -> {
            if (!now.isEmpty()) {
                composer.requestFocus();
                composer.end();
            }
        });
        VBox bottom = new VBox(6, controls, new AttachmentsView(model), editingBar, row);
        bottom.setPadding(new Insets(8));
        bottom.getStyleClass().add("composer-bar");
        setBottom(bottom);

        addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.ESCAPE && model.replyingProperty().get()) {
                model.stop();
                event.consume();
            } else if (event.getCode() == KeyCode.ESCAPE && !model.editingProperty().get().isEmpty()) {
                model.cancelEdit();
                event.consume();
            }
        });
        acceptDrops();
    }

    /** Files or a picture dropped anywhere on the chat are attached. */
    private void acceptDrops() {
        setOnDragOver(event -> {
            Dragboard board = event.getDragboard();
            if (board.hasFiles() || board.hasImage()) {
                event.acceptTransferModes(TransferMode.COPY);
                if (!getStyleClass().contains("drop-target")) {
                    getStyleClass().add("drop-target");
                }
            }
            event.consume();
        });
        setOnDragExited(event -> getStyleClass().remove("drop-target"));
        setOnDragDropped(event -> {
            event.setDropCompleted(attachFrom(event.getDragboard()));
            event.consume();
        });
    }

    /** Attaches the files, or else the picture, that a drop or the clipboard holds; false when it holds neither. */
    boolean attachFrom(Clipboard board) {
        if (board.hasFiles()) {
            model.attach(board.getFiles().stream().map(java.io.File::toPath).toList());
            return true;
        }
        if (board.hasImage() && board.getImage() != null) {
            Image image = board.getImage();
            int width = (int) image.getWidth();
            int height = (int) image.getHeight();
            int[] argb = new int[Math.max(0, width * height)];
            if (width > 0 && height > 0) {
                image.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
            }
            String name = "Pasted image " + LocalDateTime.now().format(PASTED_NAME) + ".png";
            model.attachPixels(name, width, height, argb);
            return true;
        }
        return false;
    }

    private void pickFiles() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Attach images or PDFs");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Images and PDFs", "*.png", "*.jpg", "*.jpeg", "*.webp", "*.bmp", "*.gif", "*.pdf",
                        "*.PNG", "*.JPG", "*.JPEG", "*.WEBP", "*.BMP", "*.GIF", "*.PDF"),
                new FileChooser.ExtensionFilter("All files", "*"));
        List<java.io.File> files = chooser.showOpenMultipleDialog(getScene() == null ? null : getScene().getWindow());
        if (files != null) {
            model.attach(files.stream().map(java.io.File::toPath).toList());
        }
    }

    /** The thinking-budget slider: Off, 128 ... 4k, Unlimited; disabled, with a tooltip, for models that cannot think. */
    private HBox thinkingControl() {
        ThinkingStop[] stops = ThinkingStop.values();
        Slider slider = new Slider(0, stops.length - 1, model.thinkingProperty().get().ordinal());
        slider.setId("thinking-budget");
        slider.setMajorTickUnit(1);
        slider.setMinorTickCount(0);
        slider.setSnapToTicks(true);
        slider.setShowTickMarks(true);
        slider.setShowTickLabels(true);
        slider.setBlockIncrement(1);
        slider.setLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Double value) {
                return stops[(int) Math.round(value)].label();
            }

            @Override
            public Double fromString(String label) {
                return (double) java.util.Arrays.stream(stops).filter(s -> s.label().equals(label)).findFirst().orElseThrow().ordinal();
            }
        });
        HBox.setHgrow(slider, Priority.ALWAYS);
        slider.valueProperty().addListener((obs, old, now) -> model.thinkingProperty().set(stops[(int) Math.round(now.doubleValue())]));
        model.thinkingProperty().addListener((obs, old, now) -> slider.setValue(now.ordinal()));
        Label title = new Label("Thinking");
        title.setLabelFor(slider);
        slider.setAccessibleText("Thinking budget");
        slider.accessibleHelpProperty().bind(Bindings.createStringBinding(
                () -> "How many tokens the model may think before it answers: " + model.thinkingProperty().get().label(),
                model.thinkingProperty()));
        Tooltip cannot = new Tooltip("This model answers without thinking");
        model.canThinkProperty().addListener((obs, old, can) -> slider.setTooltip(can ? null : cannot));
        slider.disableProperty().bind(model.canThinkProperty().not());
        HBox control = new HBox(8, title, slider);
        control.setAlignment(Pos.CENTER_LEFT);
        control.getStyleClass().add("thinking-budget");
        return control;
    }

    /** What an empty conversation shows: what Kestrel is, and suggestions fitting the model. */
    private VBox emptyConversation() {
        Label hello = new Label("Ask anything. Everything stays on this computer.");
        FlowPane suggestions = new FlowPane(8, 8);
        suggestions.setId("samples");
        suggestions.getStyleClass().add("sample-prompts");
        suggestions.setAlignment(Pos.CENTER);
        suggestions.setMaxWidth(560);
        Runnable fill = () -> suggestions.getChildren().setAll(model.samples().stream().map(sample -> {
            Button button = new Button(sample.label());
            button.setAccessibleText("Suggestion: " + sample.label());
            button.setOnAction(e -> {
                model.useSample(sample);
                composer.requestFocus();
                composer.end();
            });
            return button;
        }).toList());
        model.samples().addListener((javafx.collections.ListChangeListener<SamplePrompt>) change -> fill.run());
        fill.run();
        VBox empty = new VBox(16, hello, suggestions);
        empty.setAlignment(Pos.CENTER);
        return empty;
    }

    /** Puts the window's own buttons (a model folder, the model library) in the header, before the device badge. */
    public void addToHeader(javafx.scene.Node... tools) {
        top.getChildren().addAll(top.getChildren().size() - 2, List.of(tools));
    }

    public void focusComposer() {
        composer.requestFocus();
    }

    private void onKey(KeyEvent event) {
        if (PASTE.match(event)) {
            Clipboard clipboard = Clipboard.getSystemClipboard();
            // Text pastes as text; files and pictures (a screenshot) are attached instead.
            if (!clipboard.hasString() || clipboard.hasFiles()) {
                if (attachFrom(clipboard)) {
                    event.consume();
                }
            }
            return;
        }
        if (event.getCode() == KeyCode.TAB && !event.isControlDown()) {
            // Tab leaves the composer as it leaves any field (a message seldom needs a tab character),
            // so that the keyboard never gets stuck in it.
            event.consume();
            composer.requestFocusTraversal(event.isShiftDown() ? javafx.scene.TraversalDirection.PREVIOUS
                    : javafx.scene.TraversalDirection.NEXT);
            return;
        }
        if (event.getCode() != KeyCode.ENTER) {
            return;
        }
        event.consume();
        if (event.isShiftDown()) {
            composer.insertText(composer.getCaretPosition(), "\n");
        } else {
            model.send();
        }
    }

    private void scrollToEnd() {
        if (!model.messages().isEmpty()) {
            messages.scrollTo(model.messages().size() - 1);
        }
    }
}
