package dev.kestrel.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import dev.kestrel.app.DataFolder;
import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.ConversationSummary;
import dev.kestrel.ui.chat.MessageItem;
import dev.kestrel.ui.settings.ChatSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** Settings that load the model again, in the real window: CPU threads, and a data folder moved elsewhere. */
class KestrelWindowSettingsTest extends WindowTest {

    @TempDir
    static Path elsewhere;

    @Override
    Path model() {
        return BundledModels.model("fixtures/tiny-decoder");
    }

    @Test
    void newThreadsReloadTheModelAndAMovedDataFolderCarriesTheConversationOver(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().readyProperty().get());
        robot.clickOn("#composer").write("hello").type(KeyCode.ENTER);
        ListView<MessageItem> messages = robot.lookup("#messages").queryListView();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> messages.getItems().size() == 2 && !window.chat().replyingProperty().get());

        robot.clickOn("#settings");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#threads").tryQuery().isPresent());
        assertThat(robot.lookup("#threads").queryTextInputControl().getPromptText())
                .isEqualTo("one per core (" + Runtime.getRuntime().availableProcessors() + ")");
        assertThat(robot.lookup("#data-folder").queryAs(Label.class).getText()).isEqualTo(home.toAbsolutePath().toString());
        assertThat(Accessibility.unnamed(robot.lookup("#threads").query().getScene().getRoot())).isEmpty();
        robot.clickOn("#threads").write("0");
        robot.clickOn("Save");
        assertThat(robot.lookup("#settings-problem").queryAs(Label.class).getText())
                .isEqualTo("CPU threads must be from 1 to 1024, or empty for one per core");
        robot.interact(() -> robot.lookup("#threads").queryTextInputControl().setText("1"));
        robot.clickOn("#seed").write("7");
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        robot.interact(() -> window.chat().readyProperty().addListener((obs, was, now) -> {
            if (now) {
                loads.incrementAndGet();
            }
        }));
        robot.clickOn("Save");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> loads.get() == 1 && window.chat().readyProperty().get());
        ChatSettings saved = settings(robot);
        assertThat(saved.threads()).hasValue(1);
        assertThat(saved.sampling().seed()).hasValue(7);
        assertThat(window.chat().messages()).as("the conversation stays open").hasSize(2);

        // Moving the data folder (its chooser is the system's, so the dialog's result is saved directly).
        Path moved = elsewhere.resolve("kestrel");
        try {
            robot.interact(() -> window.chat().saveSettings(new ChatSettings(saved.conversationPrompt(), saved.newConversationPrompt(),
                    saved.sampling(), saved.modelSampling(), saved.device(), saved.threads(), saved.cores(), moved, saved.dataFolderFixedBy())));
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> loads.get() == 2 && window.chat().readyProperty().get()
                    && window.chat().statusProperty().get().startsWith("Kestrel's history and models were copied to " + moved));
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.chat().messages().size() == 2);
            assertThat(settings(robot).dataFolder()).isEqualTo(moved);
            robot.clickOn("#composer").write("hi").type(KeyCode.ENTER);
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> messages.getItems().size() == 4 && !window.chat().replyingProperty().get());
            robot.interact(() -> window.close());
            try (ChatService there = ChatService.open(new AppPaths(moved), BundledModels.model("fixtures/tiny-decoder"));
                    ChatService before = ChatService.open(new AppPaths(home), BundledModels.model("fixtures/tiny-decoder"))) {
                long id = there.history().conversations(1).getFirst().id();
                assertThat(there.history().messages(id)).hasSize(4);
                assertThat(there.threads()).hasValue(1);
                assertThat(before.history().conversations(5)).extracting(ConversationSummary::title).containsExactly("hello");
                assertThat(before.history().messages(before.history().conversations(1).getFirst().id())).as("the old folder was left as it was").hasSize(2);
            }
        } finally {
            Files.deleteIfExists(DataFolder.addressFile());
        }
    }

    private ChatSettings settings(FxRobot robot) throws Exception {
        CompletableFuture<ChatSettings> now = new CompletableFuture<>();
        robot.interact(() -> window.chat().loadSettings(now::complete));
        return now.get(10, TimeUnit.SECONDS);
    }
}
