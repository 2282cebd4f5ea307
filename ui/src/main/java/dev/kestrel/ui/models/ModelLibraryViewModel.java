package dev.kestrel.ui.models;

import dev.kestrel.app.Failure;
import dev.kestrel.app.library.ModelCatalog;
import dev.kestrel.app.library.ModelLibrary;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The models window's state, free of controls: the catalog's models and those installed, each
 * available, downloading (with its progress), paused, installed or failed; downloads run in the
 * background, several at once, and a paused or failed one continues where it stopped. Driven and
 * read on the UI thread only.
 */
public final class ModelLibraryViewModel {

    public enum State { AVAILABLE, DOWNLOADING, PAUSED, INSTALLED, FAILED }

    /** One model: from the catalog, pulled by its id, or installed some other way. */
    public static final class Row {
        private final String name;
        private final String source;
        private final String about;
        private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.AVAILABLE);
        private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
        private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail", "");
        private Optional<Path> folder = Optional.empty();
        private AtomicBoolean stop = new AtomicBoolean();

        Row(String name, String source, String about) {
            this.name = name;
            this.source = source;
            this.about = about;
        }

        public String name() {
            return name;
        }

        /** A Hugging Face id to pull it from, or empty for a model that was imported. */
        public String source() {
            return source;
        }

        public String about() {
            return about;
        }

        public ReadOnlyObjectProperty<State> stateProperty() {
            return state.getReadOnlyProperty();
        }

        /** 0 to 1 while downloading; -1 while the size is not known yet. */
        public ReadOnlyDoubleProperty progressProperty() {
            return progress.getReadOnlyProperty();
        }

        /** Sizes, speed, or why it failed. */
        public ReadOnlyStringProperty detailProperty() {
            return detail.getReadOnlyProperty();
        }

        /** Where it is installed, once it is. */
        public Optional<Path> folder() {
            return folder;
        }

        void installed(ModelLibrary.Installed model) {
            folder = Optional.of(model.folder());
            state.set(State.INSTALLED);
            progress.set(1);
            detail.set(ModelLibrary.megabytes(model.bytes()));
        }
    }

    private final Executor ui;
    private final Executor background;
    private final ModelLibrary library;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private Consumer<Path> onInstalled = folder -> {};
    private Consumer<Path> onUse = folder -> {};

    /** {@code background} runs the downloads and must allow several at once. */
    public ModelLibraryViewModel(Executor ui, Executor background, ModelLibrary library) {
        this.ui = ui;
        this.background = background;
        this.library = library;
    }

    /** Called with a model's folder once it is installed (the window lists it in its picker). */
    public void setOnInstalled(Consumer<Path> onInstalled) {
        this.onInstalled = onInstalled;
    }

    /** Called with an installed model's folder when the user chooses to chat with it now. */
    public void setOnUse(Consumer<Path> onUse) {
        this.onUse = onUse;
    }

    /** Chats with an installed model from now on. */
    public void use(Row row) {
        row.folder.ifPresent(onUse);
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    /** What went wrong outside any one row (a mistyped id), or empty. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** Reads the catalog, the installed models and the unfinished downloads again (off the UI thread). */
    public void refresh() {
        background.execute(() -> {
            Map<String, Row> found = new LinkedHashMap<>();
            for (ModelCatalog.Entry entry : ModelCatalog.entries()) {
                found.put("hf:" + entry.repo(), new Row(entry.name(), entry.repo(), entry.about()));
            }
            java.util.List<ModelLibrary.Installed> installed;
            java.util.List<ModelLibrary.Incomplete> incomplete;
            try {
                installed = library.installed();
                incomplete = library.incomplete();
            } catch (RuntimeException e) {
                String message = Failure.of(e).message();
                ui.execute(() -> notice.set(message));
                return;
            }
            for (ModelLibrary.Installed model : installed) {
                Row row = found.computeIfAbsent(model.source().isEmpty() ? "folder:" + model.folder() : model.source(),
                        key -> new Row(model.name(), ModelLibrary.specOf(key), aboutOf(key)));
                row.installed(model);
            }
            for (ModelLibrary.Incomplete pull : incomplete) {
                Row row = found.computeIfAbsent(pull.source(), key -> new Row(pull.name(), ModelLibrary.specOf(key), aboutOf(key)));
                row.state.set(State.PAUSED);
                row.progress.set(pull.total() > 0 ? (double) pull.done() / pull.total() : -1);
                row.detail.set(ModelLibrary.megabytes(pull.done()) + " of " + ModelLibrary.megabytes(pull.total()) + "; continue to finish it");
            }
            ui.execute(() -> {
                // Rows downloading now stay as they are.
                Map<String, Row> running = new LinkedHashMap<>();
                rows.stream().filter(r -> r.state.get() == State.DOWNLOADING).forEach(r -> running.put(r.source, r));
                rows.setAll(found.values().stream().map(r -> running.getOrDefault(r.source, r)).toList());
            });
            found.values().stream().filter(r -> r.state.get() == State.AVAILABLE).forEach(this::showDownloadSize);
        });
    }

    /**
     * Asks the Hub, in the background, how much a model not yet installed would download, and shows
     * it in its row. Offline (or for any other failure) the row just shows no size: the download
     * itself would say what is wrong.
     */
    private void showDownloadSize(Row row) {
        background.execute(() -> {
            long bytes;
            try {
                bytes = library.downloadSize(row.source);
            } catch (RuntimeException e) {
                return;
            }
            if (bytes >= 0) {
                ui.execute(() -> {
                    if (row.state.get() == State.AVAILABLE) {
                        row.detail.set(ModelLibrary.megabytes(bytes) + " to download");
                    }
                });
            }
        });
    }

    /** Downloads (or continues) a model given by its Hugging Face id or catalog name, adding its row if it has none. */
    public void pull(String id) {
        String repo = ModelCatalog.repository(id.strip());
        if (repo.isBlank()) {
            return;
        }
        Row row = rows.stream().filter(r -> r.source.equalsIgnoreCase(repo)).findFirst().orElseGet(() -> {
            Row added = newRow(repo);
            rows.add(added);
            return added;
        });
        pull(row);
    }

    /** A row for a model typed in; one the library cannot read still gets a row, where its pull then says why. */
    private static Row newRow(String spec) {
        try {
            return new Row(ModelLibrary.nameOf(spec), spec, aboutOf(ModelLibrary.sourceOf(spec)));
        } catch (RuntimeException e) {
            return new Row(spec, spec, "");
        }
    }

    /** Downloads the row's model, or continues it where it stopped. */
    public void pull(Row row) {
        if (row.state.get() == State.DOWNLOADING || row.state.get() == State.INSTALLED || row.source.isEmpty()) {
            return;
        }
        notice.set("");
        AtomicBoolean stop = new AtomicBoolean();
        row.stop = stop;
        row.state.set(State.DOWNLOADING);
        row.progress.set(-1);
        row.detail.set("Listing its files…");
        long started = System.nanoTime();
        AtomicLong firstBytes = new AtomicLong(-1);
        AtomicLong shownAt = new AtomicLong();
        background.execute(() -> {
            try {
                ModelLibrary.Installed installed = library.pull(row.source, (done, total) -> {
                    firstBytes.compareAndSet(-1, done);
                    long now = System.nanoTime();
                    // At most ten updates a second reach the UI thread.
                    if (now - shownAt.get() < 100_000_000L && done != total) {
                        return;
                    }
                    shownAt.set(now);
                    double seconds = Math.max(1e-3, (now - started) / 1e9);
                    String text = ModelLibrary.megabytes(done) + " of " + (total < 0 ? "?" : ModelLibrary.megabytes(total))
                            + String.format(Locale.ROOT, " · %.1f MB/s", (done - firstBytes.get()) / 1e6 / seconds);
                    ui.execute(() -> {
                        if (row.state.get() == State.DOWNLOADING) {
                            row.progress.set(total > 0 ? (double) done / total : -1);
                            row.detail.set(text);
                        }
                    });
                }, stop);
                ui.execute(() -> {
                    row.installed(installed);
                    onInstalled.accept(installed.folder());
                });
            } catch (CancellationException paused) {
                ui.execute(() -> {
                    row.state.set(State.PAUSED);
                    row.detail.set("Paused at " + row.detail.get().replaceFirst(" · .*", "") + "; continue to finish it");
                });
            } catch (RuntimeException e) {
                String message = Failure.of(e).message();
                ui.execute(() -> {
                    row.state.set(State.FAILED);
                    row.detail.set(message);
                });
            }
        });
    }

    /** Pauses a download; what arrived stays, and {@link #pull(Row)} continues it, after a restart too. */
    public void pause(Row row) {
        row.stop.set(true);
    }

    /** Pauses every download (the window closes). */
    public void pauseAll() {
        rows.forEach(this::pause);
    }

    /** Removes an installed model, or what a paused download left. */
    public void remove(Row row) {
        if (row.state.get() == State.DOWNLOADING) {
            return;
        }
        // Installed: its folder's name; a paused download: the name its pull installs as, as its folder is called.
        String name = row.folder.map(f -> f.getFileName().toString())
                .orElse(row.source.isEmpty() ? row.name : ModelLibrary.nameOf(row.source));
        background.execute(() -> {
            try {
                library.remove(name);
                refresh();
            } catch (RuntimeException e) {
                String message = Failure.of(e).message();
                ui.execute(() -> notice.set(message));
            }
        });
    }

    private static String aboutOf(String source) {
        if (source.startsWith("folder:")) {
            return "Imported from " + source.substring("folder:".length());
        }
        if (source.startsWith("url:")) {
            return "From " + source.substring("url:".length()).replaceFirst("#.*$", "");
        }
        return "From Hugging Face: " + source.replaceFirst("^hf:", "");
    }
}
