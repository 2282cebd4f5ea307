package dev.kestrel.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.BundledModels;
import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.ThinkingStop;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The thinking section of a reply, over the real chat service and the tiny Qwen3-style model, which thinks. */
class ChatViewModelThinkingTest {

    static final Path QWEN3 = BundledModels.root().orElseThrow().resolve("fixtures/tiny-qwen3");

    @TempDir
    Path home;

    ChatHarness harness;
    UiThread ui;
    ChatService service;
    ChatViewModel model;

    @BeforeEach
    void open() {
        harness = new ChatHarness(home, QWEN3);
        ui = harness.ui;
        service = harness.service;
        service.setSampling(dev.kestrel.app.chat.SamplingChoice.GREEDY); // the model samples by default, and its greedy reply thinks
        model = harness.chat();
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aThinkingReplyOpensItsSectionCountsItsTokensAndClosesWhenTheAnswerStarts() {
        MessageItem reply = ui.call(() -> {
            assertThat(model.canThinkProperty().get()).isTrue();
            model.thinkingProperty().set(ThinkingStop.T512);
            model.draftProperty().set("hello");
            model.send();
            MessageItem answer = model.messages().getLast();
            assertThat(answer.thinkingOpenProperty().get()).isTrue();
            assertThat(answer.thinkingSummaryProperty().get()).isEqualTo("Thinking · 0 / 512 tokens");
            return answer;
        });
        ui.await(() -> !model.replyingProperty().get());
        ui.run(() -> {
            assertThat(reply.thinkingProperty().get()).as("reply %s, footer %s", reply.text(), reply.footerProperty().get()).contains("The user says hello.");
            assertThat(reply.text()).startsWith("Hello!");
            int tokens = reply.thinkingTokensProperty().get();
            assertThat(tokens).isPositive();
            assertThat(reply.thinkingSummaryProperty().get()).isEqualTo("Thought for " + tokens + " tokens");
            assertThat(reply.thinkingOpenProperty().get()).isFalse();
            assertThat(reply.footerProperty().get()).contains(tokens + " thinking");
        });
        long conversation = ui.call(() -> model.conversation().orElseThrow());
        assertThat(service.history().thinkingStop(conversation)).contains(ThinkingStop.T512);
    }

    @Test
    void withThinkingOffThereIsNoSection() {
        ui.run(() -> {
            model.thinkingProperty().set(ThinkingStop.OFF);
            model.draftProperty().set("hello");
            model.send();
            assertThat(model.messages().getLast().thinkingOpenProperty().get()).isFalse();
        });
        ui.await(() -> !model.replyingProperty().get());
        ui.run(() -> {
            MessageItem reply = model.messages().getLast();
            assertThat(reply.thinkingProperty().get()).isEmpty();
            assertThat(reply.thinkingTokensProperty().get()).isZero();
            assertThat(reply.text()).isNotBlank();
        });
    }

    @Test
    void aBudgetReachedSaysSo() {
        MessageItem item = new MessageItem(MessageItem.Author.ASSISTANT, "");
        item.startThinking(ThinkingStop.T128);
        item.thoughtSoFar(64);
        assertThat(item.thinkingSummaryProperty().get()).isEqualTo("Thinking · 64 / 128 tokens");
        item.endThinking(128, true);
        assertThat(item.thinkingSummaryProperty().get()).isEqualTo("Thought for 128 tokens · budget reached");
        assertThat(item.thinkingOpenProperty().get()).isFalse();
        item.thinkingOpenProperty().set(true); // the user opens it again before the reply ends
        item.stopThinking(128);
        assertThat(item.thinkingOpenProperty().get()).isTrue();
        assertThat(item.thinkingSummaryProperty().get()).isEqualTo("Thought for 128 tokens · budget reached");

        MessageItem stopped = new MessageItem(MessageItem.Author.ASSISTANT, "");
        stopped.startThinking(ThinkingStop.UNLIMITED);
        stopped.thoughtSoFar(7);
        assertThat(stopped.thinkingSummaryProperty().get()).isEqualTo("Thinking · 7 tokens");
        stopped.stopThinking(9); // Stop pressed while it thought
        assertThat(stopped.thinkingOpenProperty().get()).isFalse();
        assertThat(stopped.thinkingSummaryProperty().get()).isEqualTo("Thought for 9 tokens");
    }
}
