package dev.kestrel.ui.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import dev.kestrel.app.library.Downloader;
import dev.kestrel.app.library.FakeHub;
import dev.kestrel.app.library.HuggingFace;
import dev.kestrel.app.library.ModelLibrary;
import dev.kestrel.ui.chat.UiThread;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models window's state over a real library and a Hub stand-in on this machine: download, pause, continue, fail, remove. */
class ModelLibraryViewModelTest {

    @TempDir
    Path home;

    FakeHub hub;
    UiThread ui;
    ExecutorService background;
    ModelLibraryViewModel model;
    ModelLibrary library;
    final List<Path> installed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        hub = new FakeHub(BundledModels.root().orElseThrow().resolve("fixtures/tiny-qwen3"));
        ui = new UiThread();
        background = Executors.newCachedThreadPool();
        HttpClient client = HttpClient.newHttpClient();
        library = new ModelLibrary(new AppPaths(home), new HuggingFace(client, hub.endpoint(), Optional.empty()),
                new Downloader(client, 2, Optional.empty()));
        model = new ModelLibraryViewModel(ui.executor(), background, library);
        ui.run(() -> {
            model.setOnInstalled(installed::add);
            model.refresh();
        });
        ui.await(() -> !model.rows().isEmpty());
    }

    @AfterEach
    void close() {
        background.shutdownNow();
        ui.close();
        hub.close();
    }

    @Test
    void theCatalogShowsFirstAndAModelDownloadsPausesContinuesAndIsRemoved() {
        ui.run(() -> {
            assertThat(model.rows()).extracting(ModelLibraryViewModel.Row::name).contains("SmolVLM-256M-Instruct", "Qwen3-0.6B");
            assertThat(model.rows()).allSatisfy(row -> assertThat(row.stateProperty().get()).isEqualTo(ModelLibraryViewModel.State.AVAILABLE));
        });

        hub.bytesPerSecond = 100_000;
        ui.run(() -> model.pull(FakeHub.REPO));
        ModelLibraryViewModel.Row row = ui.call(() -> model.rows().getLast());
        assertThat(row.name()).isEqualTo("tiny-qwen3");
        ui.await(() -> row.progressProperty().get() > 0.05);
        ui.run(() -> {
            assertThat(row.stateProperty().get()).isEqualTo(ModelLibraryViewModel.State.DOWNLOADING);
            assertThat(row.detailProperty().get()).matches("[\\d.]+ MB of [\\d.]+ MB · [\\d.]+ MB/s");
            model.pause(row);
        });
        ui.await(() -> row.stateProperty().get() == ModelLibraryViewModel.State.PAUSED);
        assertThat(ui.call(() -> row.detailProperty().get())).startsWith("Paused at ").endsWith("; continue to finish it");
        assertThat(installed).isEmpty();

        // After a restart, the paused download is listed as such; continuing finishes it.
        ui.run(model::refresh);
        ui.await(() -> model.rows().stream().anyMatch(r -> r.name().equals("tiny-qwen3")
                && r.stateProperty().get() == ModelLibraryViewModel.State.PAUSED));
        hub.bytesPerSecond = 0;
        ModelLibraryViewModel.Row paused = ui.call(() -> model.rows().stream().filter(r -> r.name().equals("tiny-qwen3")).findFirst().orElseThrow());
        ui.run(() -> model.pull(paused));
        ui.await(() -> paused.stateProperty().get() == ModelLibraryViewModel.State.INSTALLED);
        assertThat(installed).containsExactly(home.resolve("models/tiny-qwen3"));
        assertThat(hub.requests).anyMatch(r -> r.contains(" bytes="));

        ui.run(() -> model.remove(paused));
        ui.await(() -> model.rows().stream().noneMatch(r -> r.name().equals("tiny-qwen3")));
        assertThat(home.resolve("models/tiny-qwen3")).doesNotExist();
    }

    @Test
    void aCatalogModelShowsHowMuchItWouldDownloadWhenTheHubAnswers() {
        // The fake hub answers for one catalog model only; the others show no size, as offline.
        hub.repos.add("HuggingFaceTB/SmolVLM-256M-Instruct");
        ui.run(model::refresh);
        ui.await(() -> model.rows().stream().anyMatch(r -> r.detailProperty().get().endsWith(" to download")));
        ui.run(() -> {
            ModelLibraryViewModel.Row smol = model.rows().stream().filter(r -> r.name().equals("SmolVLM-256M-Instruct")).findFirst().orElseThrow();
            assertThat(smol.stateProperty().get()).isEqualTo(ModelLibraryViewModel.State.AVAILABLE);
            assertThat(smol.detailProperty().get()).isEqualTo(ModelLibrary.megabytes(library.downloadSize(FakeHub.REPO)) + " to download");
            assertThat(model.rows()).filteredOn(r -> r.name().startsWith("Qwen3")).allSatisfy(r -> assertThat(r.detailProperty().get()).isEmpty());
        });
    }

    @Test
    void aFailedDownloadSaysWhyAndCanBeContinued() {
        hub.corrupt.add("config.json");
        ui.run(() -> model.pull(FakeHub.REPO));
        ModelLibraryViewModel.Row row = ui.call(() -> model.rows().getLast());
        ui.await(() -> row.stateProperty().get() == ModelLibraryViewModel.State.FAILED);
        assertThat(ui.call(() -> row.detailProperty().get())).startsWith("config.json did not match its checksum");
        hub.corrupt.clear();
        ui.run(() -> model.pull(row));
        ui.await(() -> row.stateProperty().get() == ModelLibraryViewModel.State.INSTALLED);
        ui.run(() -> model.pull("not an id"));
        ui.await(() -> model.rows().getLast().stateProperty().get() == ModelLibraryViewModel.State.FAILED);
        assertThat(ui.call(() -> model.rows().getLast().detailProperty().get())).startsWith("'not an id' is neither a model Kestrel knows");
    }
}
