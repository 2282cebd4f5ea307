package dev.kestrel.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.BundledModels;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.ModelChoice;
import dev.kestrel.ui.chat.AttachmentItem;
import javafx.scene.control.ComboBox;
import dev.kestrel.ui.chat.MessageItem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Images in the real window under X, on the tiny SmolVLM: dropped and pasted files become thumbnails,
 * encode, and are asked about; then on the bundled demo model, which answers a question about a picture.
 */
class KestrelWindowImageTest extends WindowTest {

    static final Path SMOLVLM = BundledModels.root().orElseThrow().resolve("fixtures/tiny-smolvlm");
    static final Path SHAPES = SMOLVLM.resolve("reference/shapes-150x90.png");
    /** The demo model's example picture of shapes (models/demo/examples), and how many it shows. */
    static final Path DEMO_SHAPES = BundledModels.defaultModel().resolve("examples/shapes-wide.png");
    static final String DEMO_SHAPES_COUNT = "4";

    @Override
    Path model() {
        return SMOLVLM;
    }

    private static ListView<MessageItem> messages(FxRobot robot) {
        return robot.lookup("#messages").queryListView();
    }

    @Test
    void aDroppedImageShowsAThumbnailThatEncodesAndTheQuestionAboutItIsAnswered(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().canSeeProperty().get());
        assertThat(robot.lookup("#attach").queryAs(Button.class).isDisabled()).isFalse();

        // Dropped on the messages, as from a file manager.
        robot.interact(() -> assertThat(Drops.drop(robot.lookup("#messages").query(), List.of(SHAPES.toFile()))).isTrue());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().attachments().size() == 1
                && !window.chat().attachments().getFirst().readingProperty().get());

        // Pasted: the same file again, a second attachment, which its remove button takes away.
        robot.interact(() -> {
            ClipboardContent content = new ClipboardContent();
            content.putFiles(List.of(SHAPES.toFile()));
            Clipboard.getSystemClipboard().setContent(content);
        });
        robot.clickOn("#composer").press(KeyCode.CONTROL).type(KeyCode.V).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().attachments().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup(".remove-attachment").queryAllAs(Button.class).stream().reduce((a, b) -> b).orElseThrow());

        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().attachments().size() == 1
                && !window.chat().attachments().getFirst().pictures().isEmpty()
                && window.chat().attachments().getFirst().pictures().getFirst().encodedProperty().get());
        AttachmentItem attached = window.chat().attachments().getFirst();
        assertThat(attached.name()).isEqualTo("shapes-150x90.png");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".attachment-thumbnail").queryAllAs(ImageView.class)).singleElement()
                .satisfies(view -> assertThat(view.isVisible()).isTrue());
        assertThat(robot.lookup("#composer").queryTextInputControl().getText()).as("a file pastes as a file, not as text").isEmpty();
        robot.interact(() -> Screenshots.save(messages(robot).getScene(), "image-attached"));

        robot.clickOn("#composer").write("What is in this picture?").type(KeyCode.ENTER);
        ListView<MessageItem> messages = messages(robot);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> messages.getItems().size() == 2
                && messages.getItems().get(1).footerProperty().get().contains("tokens"));
        assertThat(messages.getItems().getFirst().pictures()).hasSize(1);
        assertThat(messages.getItems().get(1).text()).isNotBlank();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".message-picture").queryAllAs(ImageView.class)).hasSize(1);
        assertThat(window.chat().attachments()).isEmpty();
        assertThat(robot.lookup("#attachment-notice").queryAs(Label.class).isVisible()).isFalse();

        // The bundled demo model from the picker: the conversation continues on it, and it sees too.
        ComboBox<ModelChoice> picker = robot.lookup("#model-picker").queryComboBox();
        assertThat(picker.getValue().folder()).isEqualTo(SMOLVLM.toAbsolutePath());
        ModelChoice bundled = picker.getItems().stream().filter(ModelChoice::bundled).findFirst().orElseThrow();
        robot.interact(() -> picker.setValue(bundled));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().readyProperty().get()
                && window.chat().statusProperty().get().startsWith("demo"));
        assertThat(window.chat().canSeeProperty().get()).isTrue();
        assertThat(window.chat().messages()).hasSize(2);

        // In a new chat, the first-run view: what to try with the demo model.
        robot.clickOn("#new-chat");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> messages.getItems().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#samples .button").queryAllAs(javafx.scene.control.Button.class)).extracting(b -> b.getText())
                .contains("Drop a picture of shapes, then ask", "Drop a picture of a word, then ask", "Add two numbers, thinking");
        robot.interact(() -> Screenshots.save(messages.getScene(), "empty"));

        // A picture drawn as its tasks draw them: the demo model counts the shapes.
        robot.interact(() -> assertThat(Drops.drop(robot.lookup("#messages").query(), List.of(DEMO_SHAPES.toFile()))).isTrue());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().attachments().size() == 1
                && !window.chat().attachments().getFirst().pictures().isEmpty()
                && window.chat().attachments().getFirst().pictures().getFirst().encodedProperty().get());
        robot.clickOn("#composer").write("How many shapes are there?").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> messages.getItems().size() == 2
                && messages.getItems().get(1).footerProperty().get().contains("tokens"));
        assertThat(messages.getItems().get(1).text()).isEqualTo(DEMO_SHAPES_COUNT);
        robot.interact(() -> Screenshots.save(messages.getScene(), "image-question"));

        // And, in a chat of its own (the demo model knows single questions only), it thinks: the column-by-column
        // scratchpad, folded away when the answer starts, opened again.
        robot.clickOn("#new-chat");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> messages.getItems().isEmpty());
        // The picture of a reply streaming with its thinking open is taken on the UI thread, mid-scratchpad.
        java.util.concurrent.atomic.AtomicReference<String> streamedSoFar = new java.util.concurrent.atomic.AtomicReference<>();
        javafx.collections.ListChangeListener<MessageItem> whileStreaming = change -> {
            if (messages.getItems().size() == 2) {
                MessageItem streaming = messages.getItems().get(1);
                streaming.thinkingProperty().addListener((obs, old, now) -> {
                    if (streamedSoFar.get() == null && now.contains("tens:") && streaming.text().isEmpty()
                            && streaming.thinkingOpenProperty().get()) {
                        streamedSoFar.set(now);
                        Screenshots.save(messages.getScene(), "thinking");
                    }
                });
            }
        };
        robot.interact(() -> messages.getItems().addListener(whileStreaming));
        robot.clickOn("#composer").write("What is 457 + 385?").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> messages.getItems().size() == 2 && !window.chat().replyingProperty().get());
        robot.interact(() -> messages.getItems().removeListener(whileStreaming));
        assertThat(streamedSoFar.get()).as("pictured while the scratchpad was being written").startsWith("units:");
        MessageItem sum = messages.getItems().get(1);
        assertThat(sum.text()).isEqualTo("842");
        assertThat(sum.thinkingProperty().get()).contains("units: 7 + 5 = 12, write 2, carry 1");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup(".thinking-toggle").match(javafx.scene.Node::isVisible).queryAllAs(javafx.scene.control.Button.class)
                .stream().reduce((a, b) -> b).orElseThrow());
        assertThat(sum.thinkingOpenProperty().get()).isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".thinking-text").queryAllAs(Label.class)).filteredOn(Label::isVisible).singleElement()
                .as("every line of the opened thinking shows, none cut short").satisfies(thought ->
                        assertThat(thought.getHeight()).isGreaterThanOrEqualTo(thought.prefHeight(thought.getWidth())));
        ListView<?> sidebar = robot.lookup("#conversations").queryListView();
        assertThat(sidebar.lookupAll(".scroll-bar").stream().filter(bar -> bar instanceof javafx.scene.control.ScrollBar scroll
                && scroll.getOrientation() == javafx.geometry.Orientation.HORIZONTAL && scroll.isVisible()))
                .as("long titles are cut short in the sidebar, not scrolled sideways").isEmpty();
        robot.interact(() -> window.close());
        try (ChatService reopened = ChatService.openLast(new AppPaths(home), SMOLVLM)) {
            assertThat(reopened.modelName()).isEqualTo("demo");
        }
    }
}
