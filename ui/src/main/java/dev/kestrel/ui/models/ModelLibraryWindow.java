package dev.kestrel.ui.models;

import dev.kestrel.ui.controls.Icons;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;

/**
 * The models window: the catalog's models and the installed ones, each with Download, Pause,
 * Continue, Use or Remove and its progress; a field takes any Hugging Face id, or the address of a
 * model folder's .zip. Downloads go on when
 * it is closed.
 */
public final class ModelLibraryWindow {

    private final Stage stage = new Stage();

    public ModelLibraryWindow(Window owner, ModelLibraryViewModel model) {
        stage.initOwner(owner);
        stage.setTitle("Models");

        ListView<ModelLibraryViewModel.Row> rows = new ListView<>(model.rows());
        rows.setId("model-rows");
        rows.setAccessibleText("Models");
        rows.setCellFactory(list -> new RowCell(model));
        rows.setPlaceholder(new Label("Reading the models…"));

        TextField id = new TextField();
        id.setId("model-id");
        id.setPromptText("A Hugging Face id, such as onnx-community/Qwen3-0.6B-ONNX, or a model's .zip address");
        id.setAccessibleText("Hugging Face id of a model in the onnx-community layout, or the https address of a model folder's .zip");
        HBox.setHgrow(id, Priority.ALWAYS);
        Button get = Icons.beside(new Button("Download"), Feather.DOWNLOAD);
        get.setId("download-id");
        get.disableProperty().bind(id.textProperty().isEmpty());
        get.setOnAction(e -> {
            model.pull(id.getText());
            id.clear();
        });
        id.setOnAction(e -> get.fire());
        Label notice = new Label();
        notice.setId("models-notice");
        notice.getStyleClass().add("sidebar-notice");
        notice.setWrapText(true);
        notice.textProperty().bind(model.noticeProperty());
        notice.visibleProperty().bind(model.noticeProperty().isNotEmpty());
        notice.managedProperty().bind(notice.visibleProperty());
        HBox byId = new HBox(6, id, get);
        byId.setAlignment(Pos.CENTER_LEFT);
        VBox bottom = new VBox(6, notice, byId);
        bottom.setPadding(new Insets(8, 0, 0, 0));

        BorderPane root = new BorderPane(rows);
        root.setBottom(bottom);
        root.setPadding(new Insets(10));
        Scene scene = new Scene(root, 640, 460);
        scene.getStylesheets().add(Objects.requireNonNull(ModelLibraryWindow.class.getResource("/dev/kestrel/ui/theme/kestrel.css")).toExternalForm());
        stage.setScene(scene);
        model.refresh();
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    public Stage stage() {
        return stage;
    }

    /** A model: name and what it is for, its state and progress, and what can be done with it now. */
    private static final class RowCell extends ListCell<ModelLibraryViewModel.Row> {
        private final ModelLibraryViewModel model;

        RowCell(ModelLibraryViewModel model) {
            this.model = model;
        }

        @Override
        protected void updateItem(ModelLibraryViewModel.Row row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            Label name = new Label(row.name());
            name.getStyleClass().add("model-name");
            Label about = new Label(row.about());
            about.setWrapText(true);
            about.getStyleClass().add("footer");
            ProgressBar bar = new ProgressBar();
            bar.progressProperty().bind(row.progressProperty());
            bar.setMaxWidth(Double.MAX_VALUE);
            bar.visibleProperty().bind(row.stateProperty().isEqualTo(ModelLibraryViewModel.State.DOWNLOADING)
                    .or(row.stateProperty().isEqualTo(ModelLibraryViewModel.State.PAUSED)));
            bar.managedProperty().bind(bar.visibleProperty());
            Label detail = new Label();
            detail.setWrapText(true);
            detail.getStyleClass().add("model-detail");
            detail.textProperty().bind(Bindings.createStringBinding(() -> switch (row.stateProperty().get()) {
                case AVAILABLE -> row.detailProperty().get().isEmpty() ? "Not installed" : "Not installed · " + row.detailProperty().get();
                case INSTALLED -> "Installed · " + row.detailProperty().get();
                case FAILED -> "Failed: " + row.detailProperty().get();
                default -> row.detailProperty().get();
            }, row.stateProperty(), row.detailProperty()));

            Button download = Icons.beside(new Button(), Feather.DOWNLOAD);
            download.getStyleClass().add("model-download");
            download.textProperty().bind(Bindings.when(row.stateProperty().isEqualTo(ModelLibraryViewModel.State.AVAILABLE))
                    .then("Download").otherwise("Continue"));
            download.setAccessibleText("Download " + row.name());
            download.visibleProperty().bind(Bindings.createBooleanBinding(() -> !row.source().isEmpty()
                    && switch (row.stateProperty().get()) {
                        case AVAILABLE, PAUSED, FAILED -> true;
                        default -> false;
                    }, row.stateProperty()));
            download.managedProperty().bind(download.visibleProperty());
            download.setOnAction(e -> model.pull(row));
            Button pause = Icons.beside(new Button("Pause"), Feather.PAUSE);
            pause.getStyleClass().add("model-pause");
            pause.setAccessibleText("Pause downloading " + row.name());
            pause.visibleProperty().bind(row.stateProperty().isEqualTo(ModelLibraryViewModel.State.DOWNLOADING));
            pause.managedProperty().bind(pause.visibleProperty());
            pause.setOnAction(e -> model.pause(row));
            Button use = Icons.beside(new Button("Use"), Feather.MESSAGE_SQUARE);
            use.getStyleClass().add("model-use");
            use.setAccessibleText("Chat with " + row.name() + " now");
            use.visibleProperty().bind(row.stateProperty().isEqualTo(ModelLibraryViewModel.State.INSTALLED));
            use.managedProperty().bind(use.visibleProperty());
            use.setOnAction(e -> model.use(row));
            Button remove = Icons.only(new Button("Remove"), Feather.TRASH_2);
            remove.getStyleClass().add("model-remove");
            remove.setAccessibleText("Remove " + row.name() + " from this computer");
            remove.visibleProperty().bind(row.stateProperty().isEqualTo(ModelLibraryViewModel.State.INSTALLED)
                    .or(row.stateProperty().isEqualTo(ModelLibraryViewModel.State.PAUSED))
                    .or(row.stateProperty().isEqualTo(ModelLibraryViewModel.State.FAILED)));
            remove.managedProperty().bind(remove.visibleProperty());
            remove.setOnAction(e -> model.remove(row));

            VBox text = new VBox(2, name, about, bar, detail);
            HBox.setHgrow(text, Priority.ALWAYS);
            HBox buttons = new HBox(4, download, pause, use, remove);
            buttons.setAlignment(Pos.CENTER_RIGHT);
            HBox line = new HBox(8, text, buttons);
            line.setAlignment(Pos.CENTER_LEFT);
            setGraphic(line);
        }
    }
}
