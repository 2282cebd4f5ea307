package dev.kestrel.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.BundledModels;
import dev.kestrel.app.chat.ThinkingStop;
import dev.kestrel.ui.chat.MessageItem;
import dev.kestrel.ui.settings.ChatSettings;
import java.util.concurrent.CompletableFuture;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The thinking-budget slider and the thinking section in the real window, on the tiny Qwen3-style model, which thinks. */
class KestrelWindowThinkingTest extends WindowTest {

    static final Path QWEN3 = BundledModels.root().orElseThrow().resolve("fixtures/tiny-qwen3");

    @Override
    Path model() {
        return QWEN3;
    }

    @Test
    void theSliderSetsTheBudgetTheEngineGetsAndTheThinkingSectionOpensOnDemand(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().canThinkProperty().get());
        Slider slider = robot.lookup("#thinking-budget").queryAs(Slider.class);
        assertThat(slider.isDisabled()).isFalse();
        ListView<MessageItem> messages = robot.lookup("#messages").queryListView();

        // Settings first: greedy replies (the model samples by default; greedy, it thinks as it was trained to).
        robot.clickOn("#settings");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#greedy").tryQuery().isPresent());
        assertThat(robot.lookup("#conversation-prompt").queryTextInputControl().isDisabled()).as("no conversation yet").isTrue();
        assertThat(robot.lookup("#temperature").queryTextInputControl().getPromptText()).isEqualTo("0.6"); // the model's own
        robot.clickOn("#top-p").write("1.5");
        robot.clickOn("Save");
        assertThat(robot.lookup("#settings-problem").queryAs(javafx.scene.control.Label.class).getText())
                .isEqualTo("top-p must be in (0, 1], not 1.5");
        robot.interact(() -> robot.lookup("#top-p").queryTextInputControl().clear());
        robot.clickOn("#greedy");
        robot.clickOn("Save");
        CompletableFuture<ChatSettings> saved = new CompletableFuture<>();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            CompletableFuture<ChatSettings> now = new CompletableFuture<>();
            robot.interact(() -> window.chat().loadSettings(now::complete));
            ChatSettings settings = now.get(10, TimeUnit.SECONDS);
            return settings.sampling().greedy() && saved.complete(settings);
        });
        assertThat(saved.get().newConversationPrompt()).isEmpty();
        assertThat(saved.get().conversationPrompt()).isEmpty();

        // Unlimited: the model thinks; what it thought folds away behind the section's title when the answer starts.
        robot.interact(() -> slider.setValue(ThinkingStop.UNLIMITED.ordinal()));
        robot.clickOn("#composer").write("hello").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> messages.getItems().size() == 2 && !window.chat().replyingProperty().get());
        MessageItem reply = messages.getItems().get(1);
        assertThat(reply.thinkingProperty().get()).contains("The user says hello.");
        assertThat(reply.thinkingOpenProperty().get()).as("closed once the answer starts").isFalse();
        robot.clickOn(robot.lookup(".thinking-toggle").match(javafx.scene.Node::isVisible).queryButton());
        assertThat(reply.thinkingOpenProperty().get()).isTrue();

        // Off: the engine gets budget 0 (non-thinking mode), so the reply has no thinking at all.
        robot.interact(() -> slider.setValue(ThinkingStop.OFF.ordinal()));
        robot.clickOn("#composer").write("hello").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> messages.getItems().size() == 4 && !window.chat().replyingProperty().get());
        assertThat(messages.getItems().get(3).thinkingProperty().get()).isEmpty();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".regenerate").match(javafx.scene.Node::isVisible).queryAll()).as("only the last reply").hasSize(1);
    }
}
