package dev.kestrel.ui;

import dev.kestrel.ui.controls.Icons;
import dev.kestrel.ui.controls.LabelConverter;
import org.kordamp.ikonli.feather.Feather;
import dev.kestrel.app.Failure;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.ModelChoice;
import dev.kestrel.app.library.ModelLibrary;
import dev.kestrel.ui.models.ModelLibraryViewModel;
import dev.kestrel.ui.models.ModelLibraryWindow;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import dev.kestrel.ui.chat.ChatView;
import dev.kestrel.ui.chat.ChatViewModel;
import dev.kestrel.ui.sidebar.SidebarView;
import dev.kestrel.ui.sidebar.SidebarViewModel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javafx.application.Platform;
import dev.kestrel.ui.theme.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.stage.DirectoryChooser;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.control.SplitPane;
import javafx.stage.Stage;

/**
 * The main window: sidebar and chat. It shows at once and loads the model in the background; the
 * composer opens when the model is ready, or the window says why it cannot.
 */
public final class KestrelWindow implements AutoCloseable {

    public static final String TITLE = "Kestrel";

    private final ExecutorService background = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "kestrel-ui-background");
        thread.setDaemon(true);
        return thread;
    });
    private final ChatViewModel chat = new ChatViewModel(Platform::runLater, background);
    private final SidebarViewModel sidebar = new SidebarViewModel(Platform::runLater, background);
    private volatile AppPaths paths;
    private final Supplier<Path> model;
    private volatile CompletableFuture<ChatService> service;
    private final ChatView chatView = new ChatView(chat);
    private final ChoiceBox<Theme> themeChoice = new ChoiceBox<>();
    private final ComboBox<ModelChoice> modelChoice = new ComboBox<>();

    private KestrelWindow(Stage stage, Supplier<Path> model, AppPaths paths) {
        this.paths = paths;
        this.model = model;
        Theme.current().apply();
        SidebarView sidebarView = new SidebarView(sidebar, chat::newConversation, chat::open);
        sidebar.setOnDeleted(chat::deleted);
        Button openFolder = Icons.only(new Button("Open…"), Feather.FOLDER);
        openFolder.setId("open-model");
        openFolder.setAccessibleText("Open a model folder from disk");
        openFolder.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Open a model folder");
            java.io.File folder = chooser.showDialog(stage);
            if (folder != null) {
                switchModel(folder.toPath());
            }
        });
        Button library = Icons.only(new Button("Models…"), Feather.DOWNLOAD);
        library.setId("model-library");
        library.setAccessibleText("Get models: download from Hugging Face, continue or remove them");
        library.setOnAction(e -> modelLibrary(stage).show());
        // The picker and the theme have the sidebar's width, so that a model's whole name shows; the
        // buttons that bring other models in sit in the chat's header.
        modelChoice.setMaxWidth(Double.MAX_VALUE);
        themeChoice.setMaxWidth(Double.MAX_VALUE);
        sidebarView.getChildren().addAll(modelChoice, themeChoice);
        chatView.addToHeader(openFolder, library);
        SplitPane split = new SplitPane(sidebarView, chatView);
        split.setDividerPositions(0.24);
        SplitPane.setResizableWithParent(sidebarView, false);
        Scene scene = new Scene(split, 960, 680);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), () -> {
            chat.newConversation();
            chatView.focusComposer();
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), sidebarView::focusSearch);
        stage.setOnHiding(e -> sidebar.commitDelete());
        scene.getStylesheets().add(Objects.requireNonNull(KestrelWindow.class.getResource("theme/kestrel.css")).toExternalForm());
        stage.setTitle(TITLE);
        stage.getIcons().add(new javafx.scene.image.Image(Objects.requireNonNull(KestrelWindow.class.getResource("kestrel.png")).toExternalForm()));
        stage.setScene(scene);
        stage.setMinWidth(520);
        stage.setMinHeight(360);
        chat.historyChangesProperty().addListener((obs, old, now) -> sidebar.refresh());
        chat.setOnReload(this::reload);

        modelChooser();
        themeChooser();
        load(CompletableFuture.supplyAsync(() -> ChatService.openLast(paths, model.get()), background), true);
        stage.show();
        chatView.focusComposer();
    }

    private ModelLibraryWindow libraryWindow;
    private AppPaths libraryPaths;
    private final ExecutorService downloads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "kestrel-models");
        thread.setDaemon(true);
        return thread;
    });

    /** The models window over the current data folder (downloads in it go on while it is closed). */
    private ModelLibraryWindow modelLibrary(Stage owner) {
        if (libraryWindow == null || !paths.equals(libraryPaths)) {
            libraryPaths = paths;
            libraryModel = new ModelLibraryViewModel(Platform::runLater, downloads, ModelLibrary.standard(paths));
            libraryModel.setOnInstalled(folder -> service.thenAccept(ready -> Platform.runLater(() -> showModels(ready))));
            libraryModel.setOnUse(this::switchModel);
            libraryWindow = new ModelLibraryWindow(owner, libraryModel);
        } else {
            libraryModel.refresh();
        }
        return libraryWindow;
    }

    private ModelLibraryViewModel libraryModel;

    /** The models window's state, once it was opened (for tests). */
    public Optional<ModelLibraryViewModel> modelLibrary() {
        return Optional.ofNullable(libraryModel);
    }

    /** Shows the window's model once {@code loading} is done, or why it could not be loaded. */
    private void load(CompletableFuture<ChatService> loading, boolean first) {
        service = loading;
        loading.whenComplete((ready, error) -> Platform.runLater(() -> {
            if (error != null) {
                chat.failed(Failure.of(error instanceof java.util.concurrent.CompletionException c ? c.getCause() : error).message());
                return;
            }
            chat.attach(ready);
            sidebar.attach(ready);
            themeChoice.setValue(Theme.of(ready.setting(Theme.SETTING)));
            showModels(ready);
            if (first) {
                chat.openLatest();
            }
        }));
    }

    /** The bundled model and those installed under the data folder; choosing one switches to it. */
    private void modelChooser() {
        modelChoice.setId("model-picker");
        modelChoice.setAccessibleText("Model");
        modelChoice.setPromptText("Model");
        modelChoice.setConverter(LabelConverter.of(ModelChoice::name, modelChoice::getItems, null));
        modelChoice.setOnAction(e -> {
            ModelChoice chosen = modelChoice.getValue();
            if (chosen != null && !chosen.folder().equals(shownModel)) {
                switchModel(chosen.folder());
            }
        });
    }

    private Path shownModel;
    private boolean closed;

    private void showModels(ChatService ready) {
        shownModel = ready.modelFolder();
        List<ModelChoice> choices = new ArrayList<>(ModelChoice.available(paths));
        if (choices.stream().noneMatch(c -> c.folder().equals(shownModel))) {
            choices.add(new ModelChoice(shownModel.getFileName().toString(), shownModel, false));
        }
        modelChoice.getItems().setAll(choices);
        modelChoice.setTooltip(new javafx.scene.control.Tooltip(shownModel.toString()));
        modelChoice.setValue(choices.stream().filter(c -> c.folder().equals(shownModel)).findFirst().orElse(null));
    }

    /**
     * Closes the model (stopping a reply; its text is kept) and loads the one in {@code folder}, which
     * is then remembered for the next start. The conversation stays open and continues on the new model.
     */
    public void switchModel(Path folder) {
        replaceService("Loading " + folder.getFileName() + "…", () -> {
            ChatService next = ChatService.open(paths, folder.toAbsolutePath());
            next.remember();
            return next;
        }, false);
    }

    /**
     * Loads the model again after the settings changed what it needs: over the same data folder (new
     * threads or device) the shown model and conversation stay; over another (the data was moved
     * there) the window goes on with that folder's history, model and latest conversation.
     */
    private void reload(AppPaths next) {
        if (next.equals(paths)) {
            switchModel(shownModel);
            return;
        }
        paths = next;
        replaceService("Opening Kestrel's data in " + next.home() + "…", () -> ChatService.openLast(next, model.get()), true);
    }

    /** Stops any reply, closes the service shown (once it has loaded) and loads the one {@code open} makes, in the background. */
    private void replaceService(String loading, Supplier<ChatService> open, boolean openLatest) {
        chat.stop();
        chat.loading(loading);
        sidebar.detach();
        CompletableFuture<ChatService> previous = service;
        load(previous.handle((old, error) -> old).thenApplyAsync(old -> {
            if (old != null) {
                old.close();
            }
            return open.get();
        }, background), openLatest);
    }

    /** Light, dark or the system's look; the choice is kept in the history database. */
    private void themeChooser() {
        themeChoice.getItems().setAll(Theme.values());
        themeChoice.setValue(Theme.current());
        themeChoice.setId("theme");
        themeChoice.setAccessibleText("Theme");
        themeChoice.setConverter(LabelConverter.of(Theme::label, themeChoice::getItems, Theme.SYSTEM));
        themeChoice.valueProperty().addListener((obs, old, chosen) -> {
            if (chosen != null && chosen != Theme.current()) {
                chosen.apply();
                service.thenAcceptAsync(ready -> ready.setSetting(Theme.SETTING, chosen.stored()), background);
            }
        });
    }

    /** Builds and shows the window on {@code stage}; call on the JavaFX thread. */
    public static KestrelWindow show(Stage stage, AppPaths paths, Supplier<Path> model) {
        return new KestrelWindow(stage, model, paths);
    }

    public ChatViewModel chat() {
        return chat;
    }

    public SidebarViewModel sidebar() {
        return sidebar;
    }

    /** Stops any reply and closes the model and the history. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sidebar.commitDelete();
        if (libraryModel != null) {
            libraryModel.pauseAll(); // what arrived stays, and continues next time
        }
        downloads.shutdown();
        // Lets what the window asked of the history (a deletion, a setting) finish before it closes.
        background.shutdown();
        try {
            background.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        service.thenAccept(ChatService::close).exceptionally(error -> null).join();
    }
}
