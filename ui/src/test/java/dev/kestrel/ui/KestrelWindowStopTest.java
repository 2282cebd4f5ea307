package dev.kestrel.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.chat.ThinkingStop;
import dev.kestrel.ui.chat.MessageItem;
import dev.kestrel.ui.chat.TalkativeModel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** Esc in the real window stops a reply mid-stream, on a model whose replies would otherwise run to the length limit. */
class KestrelWindowStopTest extends WindowTest {

    @Override
    Path model() {
        return TalkativeModel.in(home);
    }

    @Test
    void escStopsAReplyMidStreamAndKeepsWhatItWrote(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.chat().readyProperty().get());
        robot.interact(() -> window.chat().thinkingProperty().set(ThinkingStop.OFF));
        ListView<MessageItem> messages = robot.lookup("#messages").queryListView();

        robot.clickOn("#composer").write("hello").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> messages.getItems().size() == 2
                && messages.getItems().get(1).text().length() > 20);
        Button stop = robot.lookup("#stop").queryButton();
        assertThat(stop.isDisabled()).as("Stop is on while a reply is written").isFalse();
        robot.type(KeyCode.ESCAPE);

        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !window.chat().replyingProperty().get());
        MessageItem reply = messages.getItems().get(1);
        assertThat(reply.footerProperty().get()).startsWith("stopped · ");
        int tokens = Integer.parseInt(reply.footerProperty().get().replaceFirst("stopped · (\\d+) tokens.*", "$1"));
        assertThat(tokens).as("stopped well before the 1024-token limit").isLessThan(1024);
        assertThat(reply.text()).hasSizeGreaterThan(20);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(stop.isDisabled()).isTrue();
        assertThat(robot.lookup("#composer").queryTextInputControl().isFocused()).as("typing goes on where it was").isTrue();
    }
}
