package dev.kestrel.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.chat.HistoryMessage;
import dev.kestrel.app.chat.ThinkingStop;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stop, on a model whose replies run to the length limit: the text so far is kept, shown and stored as stopped. */
class ChatViewModelStopTest {

    @TempDir
    Path home;

    @TempDir
    Path models;

    ChatHarness harness;
    UiThread ui;
    ChatViewModel model;

    @BeforeEach
    void open() {
        harness = new ChatHarness(home, TalkativeModel.in(models));
        ui = harness.ui;
        model = harness.chat();
        ui.run(() -> model.thinkingProperty().set(ThinkingStop.OFF));
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void stopMidStreamKeepsTheTextSoFarAndStoresItAsStopped() {
        send("hello");
        ui.await(() -> model.messages().get(1).text().length() > 20);
        ui.run(model::stop);
        ui.await(() -> !model.replyingProperty().get());

        MessageItem reply = ui.call(() -> model.messages().get(1));
        String footer = ui.call(() -> reply.footerProperty().get());
        assertThat(footer).startsWith("stopped · ");
        int tokens = Integer.parseInt(footer.replaceFirst("stopped · (\\d+) tokens.*", "$1"));
        assertThat(tokens).as("stopped well before the 1024-token limit").isPositive().isLessThan(1024);
        String shown = ui.call(reply::text);
        assertThat(shown).hasSizeGreaterThan(20);

        List<HistoryMessage> stored = harness.service.history().messages(ui.call(() -> model.conversation().orElseThrow()));
        assertThat(stored).extracting(HistoryMessage::text).containsExactly("hello", shown);
        assertThat(stored.getLast().status()).isEqualTo("cancelled");
        ui.run(() -> model.draftProperty().set("again"));
        assertThat(ui.call(() -> model.canSendProperty().get())).as("the composer takes the next question").isTrue();
    }

    @Test
    void stopBeforeTheFirstTokenStillEndsTheReplyAndKeepsTheQuestion() {
        ui.run(() -> {
            model.draftProperty().set("hello");
            model.send();
            model.stop(); // on the same UI turn as send: the reply has not started on the engine yet
        });
        ui.await(() -> !model.replyingProperty().get());
        assertThat(ui.call(() -> model.messages().get(1).footerProperty().get())).startsWith("stopped · ");
        List<HistoryMessage> stored = harness.service.history().messages(ui.call(() -> model.conversation().orElseThrow()));
        assertThat(stored.getFirst().text()).isEqualTo("hello");
        assertThat(stored.getLast().status()).isEqualTo("cancelled");
    }

    private void send(String text) {
        ui.run(() -> {
            model.draftProperty().set(text);
            model.send();
        });
    }
}
