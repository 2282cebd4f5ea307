package dev.kestrel.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.ConversationSummary;
import dev.kestrel.app.chat.HistoryHit;
import dev.kestrel.ui.sidebar.SidebarViewModel;
import dev.kestrel.ui.chat.MessageItem;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import dev.kestrel.app.chat.ThinkingStop;
import dev.kestrel.ui.theme.Theme;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The real window under X (Xvfb in CI), driven with TestFX's robot, over a real SQLite file and ONNX Runtime. */
class KestrelWindowTest extends WindowTest {

    @Override
    Path model() {
        return BundledModels.model("fixtures/tiny-decoder");
    }

    @Test
    void aTypedMessageGetsAStreamedReplyThatIsStoredAndShownAgainAfterARestart(FxRobot robot) throws Exception {
        assertThat(robot.window(0).getScene().getWindow()).isInstanceOfSatisfying(Stage.class,
                stage -> assertThat(stage.getTitle()).isEqualTo("Kestrel"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#status").queryAs(Label.class).getText().endsWith("CPUExecutionProvider"));

        // An empty conversation suggests what to ask; a suggestion fills the composer.
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#samples .button").queryAllAs(Button.class)).extracting(Button::getText).contains("Who are you?");
        assertThat(Accessibility.unnamed(robot.window(0).getScene().getRoot())).as("every control a user can reach has a name").isEmpty();
        robot.clickOn("Who are you?");
        assertThat(window.chat().draftProperty().get()).isEqualTo("Who are you?");
        robot.interact(() -> window.chat().draftProperty().set(""));
        Slider thinking = robot.lookup("#thinking-budget").queryAs(Slider.class);
        assertThat(thinking.isDisabled()).isEqualTo(!window.chat().canThinkProperty().get());
        assertThat(thinking.getValue()).isEqualTo(ThinkingStop.UNLIMITED.ordinal());
        robot.interact(() -> thinking.setValue(ThinkingStop.T256.ordinal()));
        assertThat(window.chat().thinkingProperty().get()).isEqualTo(ThinkingStop.T256);

        // The keyboard reaches everything in a sensible order, and Tab never gets stuck in the composer.
        robot.clickOn("#composer");
        java.util.List<String> order = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            robot.type(KeyCode.TAB);
            javafx.scene.Node focused = robot.window(0).getScene().getFocusOwner();
            order.add(focused == null ? "none" : String.valueOf(focused.getId()));
        }
        assertThat(robot.lookup("#composer").queryTextInputControl().getText()).as("Tab typed nothing").isEmpty();
        assertThat(order).contains("new-chat", "search", "model-picker", "theme", "settings", "thinking-budget", "composer");
        robot.clickOn("#composer").write("hello").type(KeyCode.ENTER);

        ListView<MessageItem> messages = robot.lookup("#messages").queryListView();
        waitForReply(messages);
        assertThat(messages.getItems()).extracting(MessageItem::text)
                .containsExactly("hello", ", I am Kestrel, an offline assistant that sees and thinks.");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Accessibility.unnamed(messages.getScene().getRoot())).as("so does each message's").isEmpty();
        assertThat(robot.lookup(".footer").queryAllAs(Label.class)).anySatisfy(
                footer -> assertThat(footer.getText()).contains("tokens/s"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.sidebar().conversations().size() == 1);
        ListView<SidebarViewModel.Row> rows = robot.lookup("#conversations").queryListView();
        assertThat(rows.getItems()).hasSize(2).first().isEqualTo(new SidebarViewModel.Row.Heading("Today"));

        // The dark theme, chosen from the sidebar, applies at once and is kept.
        robot.interact(() -> robot.lookup("#theme").queryAs(ChoiceBox.class).setValue(Theme.DARK));
        assertThat(Theme.current()).isEqualTo(Theme.DARK);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> Screenshots.save(messages.getScene(), "dark"));

        // Restart: close everything, then open a new window over the same data folder.
        robot.interact(() -> {
            window.close();
            robot.window(0).hide();
        });
        try (ChatService stored = ChatService.open(new AppPaths(home), BundledModels.model("fixtures/tiny-decoder"))) {
            assertThat(stored.history().conversations(10)).extracting(ConversationSummary::title).containsExactly("hello");
            assertThat(stored.history().thinkingStop(stored.history().conversations(1).getFirst().id())).contains(ThinkingStop.T256);
            assertThat(stored.setting(Theme.SETTING)).contains("dark");
        }
        robot.interact(() -> window = KestrelWindow.show(new Stage(), new AppPaths(home), BundledModels::defaultModel));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().messages().size() == 2);
        assertThat(window.chat().messages()).extracting(MessageItem::text)
                .containsExactly("hello", ", I am Kestrel, an offline assistant that sees and thinks.");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.sidebar().conversations().size() == 1);
        // The reopened conversation brings its thinking budget back to the slider.
        assertThat(window.chat().thinkingProperty().get()).isEqualTo(ThinkingStop.T256);
        // So does the theme chosen before the restart.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#theme").queryAs(ChoiceBox.class).getValue() == Theme.DARK);
        assertThat(Theme.current()).isEqualTo(Theme.DARK);

        // Findable by search (Ctrl+F): a hit opens its conversation in place.
        robot.interact(() -> window.chat().newConversation());
        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL).write("offline");
        ListView<HistoryHit> hits = robot.lookup("#search-results").queryListView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> hits.isVisible() && !hits.getItems().isEmpty());
        assertThat(hits.getItems().getFirst().title()).isEqualTo("hello");
        robot.clickOn(robot.lookup(".hit-title").queryAs(Label.class));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.chat().messages().size() == 2);
        assertThat(window.chat().focusedMessageProperty().get()).isEqualTo(1);
        robot.interact(() -> Screenshots.save(hits.getScene(), "search"));
    }

    private static void waitForReply(ListView<MessageItem> messages) throws TimeoutException {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> messages.getItems().size() == 2
                && messages.getItems().get(1).footerProperty().get().contains("tokens"));
    }
}
