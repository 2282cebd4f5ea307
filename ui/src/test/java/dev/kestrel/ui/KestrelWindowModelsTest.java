package dev.kestrel.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.BundledModels;
import dev.kestrel.app.chat.ModelChoice;
import dev.kestrel.app.library.FakeHub;
import dev.kestrel.ui.models.ModelLibraryViewModel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The Models window, opened from the sidebar: a model downloaded by its id (from a Hub stand-in) joins the model picker. */
class KestrelWindowModelsTest extends WindowTest {

    FakeHub hub;

    @Override
    Path model() {
        return BundledModels.model("fixtures/tiny-decoder");
    }

    @BeforeEach
    void startHub() throws Exception {
        hub = new FakeHub(BundledModels.root().orElseThrow().resolve("fixtures/tiny-qwen3"));
        System.setProperty("kestrel.hf-endpoint", hub.endpoint().toString());
    }

    @AfterEach
    void stopHub() {
        System.clearProperty("kestrel.hf-endpoint");
        hub.close();
    }

    @Test
    void aModelDownloadedInTheModelsWindowJoinsThePicker(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().readyProperty().get());
        robot.clickOn("#model-library");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#model-rows").tryQuery().isPresent());
        ListView<ModelLibraryViewModel.Row> rows = robot.lookup("#model-rows").queryListView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> rows.getItems().size() >= 4);
        assertThat(rows.getItems()).extracting(ModelLibraryViewModel.Row::name).contains("SmolVLM-256M-Instruct", "Qwen3-0.6B");
        assertThat(Accessibility.unnamed(rows.getScene().getRoot())).isEmpty();

        robot.clickOn("#model-id").write(FakeHub.REPO);
        robot.clickOn("#download-id");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> rows.getItems().stream().anyMatch(r -> r.name().equals("tiny-qwen3")
                && r.stateProperty().get() == ModelLibraryViewModel.State.INSTALLED));
        robot.interact(() -> Screenshots.save(rows.getScene(), "models"));

        ComboBox<ModelChoice> picker = robot.lookup("#model-picker").queryComboBox();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> picker.getItems().stream().anyMatch(c -> c.name().equals("tiny-qwen3")));

        // Use: the window goes on with it at once.
        robot.clickOn(robot.lookup(".model-use").match(javafx.scene.Node::isVisible).queryButton());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().readyProperty().get()
                && window.chat().statusProperty().get().startsWith("tiny-qwen3"));
        assertThat(window.chat().canThinkProperty().get()).isTrue();
        robot.interact(() -> rows.getScene().getWindow().hide());
    }
}
