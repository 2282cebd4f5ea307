package dev.kestrel.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.BundledModels;
import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.ThinkingStop;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat view model without a window, over the real chat service (SQLite file, ONNX Runtime).
 * One thread plays the UI thread: the model is driven and read only there, as in the app.
 */
class ChatViewModelTest {

    static final String GREEDY_REPLY = ", I am Kestrel, an offline assistant that sees and thinks.";

    @TempDir
    Path home;

    ChatHarness harness;
    UiThread ui;
    ChatService service;
    ChatViewModel model;

    @BeforeEach
    void open() {
        harness = new ChatHarness(home, BundledModels.model("fixtures/tiny-decoder"));
        ui = harness.ui;
        service = harness.service;
        model = new ChatViewModel(ui.executor(), harness.background); // attached by each test: some test the time before
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void nothingIsSentBeforeTheModelIsReadyNorWhenTheDraftIsBlank() {
        onUi(() -> {
            model.draftProperty().set("hello");
            model.send();
            assertThat(model.messages()).isEmpty();

            model.attach(service);
            model.draftProperty().set("   ");
            model.send();
            assertThat(model.messages()).isEmpty();
            assertThat(model.statusProperty().get()).isEqualTo("tiny-decoder · CPUExecutionProvider");
            assertThat(model.deviceBadgeProperty().get()).isEqualTo("CPU");
            assertThat(model.deviceDetailProperty().get()).isEqualTo("tiny-decoder runs on the CPU through ONNX Runtime's CPUExecutionProvider.");
            assertThat(model.deviceFellBackProperty().get()).isFalse();
            return null;
        });
    }

    @Test
    void sendShowsTheQuestionAndStreamsTheReplyIntoTheNextItem() {
        int changes = onUi(() -> {
            model.attach(service);
            int before = model.historyChangesProperty().get();
            model.draftProperty().set("hello");
            model.send();
            assertThat(model.draftProperty().get()).isEmpty();
            assertThat(model.messages()).hasSize(2);
            assertThat(model.replyingProperty().get()).isTrue();
            return before;
        });
        awaitReplyEnd();
        onUi(() -> {
            MessageItem reply = model.messages().get(1);
            assertThat(model.messages().getFirst().text()).isEqualTo("hello");
            assertThat(reply.author()).isEqualTo(MessageItem.Author.ASSISTANT);
            assertThat(reply.text()).isEqualTo(GREEDY_REPLY);
            assertThat(reply.footerProperty().get())
                    .matches("\\d+ tokens · [\\d.]+ tokens/s · first token \\d+ ms · CPUExecutionProvider");
            assertThat(model.conversation()).isPresent();
            assertThat(model.historyChangesProperty().get()).isGreaterThan(changes);
            return null;
        });
    }

    @Test
    void aNewConversationStartsEmptyAndAStoredOneOpensWithItsMessages() {
        sendAndWait("hello");
        long first = onUi(() -> model.conversation().orElseThrow());

        onUi(() -> {
            model.newConversation();
            assertThat(model.messages()).isEmpty();
            assertThat(model.conversation()).isEmpty();
            model.open(first);
            return null;
        });
        awaitUi(() -> model.messages().size() == 2);
        assertThat(onUi(() -> model.messages().stream().map(MessageItem::text).toList())).containsExactly("hello", GREEDY_REPLY);
        assertThat(onUi(() -> model.conversation())).hasValue(first);
    }

    @Test
    void eachConversationRemembersItsThinkingBudget() {
        onUi(() -> {
            model.attach(service);
            assertThat(model.canThinkProperty().get()).isEqualTo(service.canThink());
            assertThat(model.thinkingProperty().get()).isEqualTo(ThinkingStop.UNLIMITED);
            model.thinkingProperty().set(ThinkingStop.T512);
            return null;
        });
        sendAndWait("hello");
        long first = onUi(() -> model.conversation().orElseThrow());
        onUi(() -> {
            model.newConversation();
            model.thinkingProperty().set(ThinkingStop.OFF);
            return null;
        });
        sendAndWait("hi");
        long second = onUi(() -> model.conversation().orElseThrow());
        assertThat(service.history().thinkingStop(first)).contains(ThinkingStop.T512);
        assertThat(service.history().thinkingStop(second)).contains(ThinkingStop.OFF);

        onUi(() -> {
            model.open(first);
            return null;
        });
        awaitUi(() -> model.thinkingProperty().get() == ThinkingStop.T512);
        onUi(() -> {
            model.open(second);
            return null;
        });
        awaitUi(() -> model.thinkingProperty().get() == ThinkingStop.OFF);
    }

    @Test
    void theLatestConversationOpensOnStart() {
        sendAndWait("hello");
        ChatViewModel restarted = new ChatViewModel(ui.executor(), harness.background);
        onUi(() -> {
            restarted.attach(service);
            restarted.openLatest();
            return null;
        });
        awaitUi(() -> restarted.messages().size() == 2);
        assertThat(onUi(() -> restarted.messages().stream().map(MessageItem::text).toList()))
                .containsExactly("hello", GREEDY_REPLY);
    }

    @Test
    void regenerateReplacesTheLastReplyAndEditAsksAnEarlierQuestionAgainFromThere() {
        sendAndWait("hello");
        sendAndWait("Kestrel");
        long conversation = onUi(() -> model.conversation().orElseThrow());
        long firstReply = onUi(() -> model.messages().getLast().messageId().orElseThrow());

        onUi(() -> {
            model.regenerate();
            assertThat(model.messages()).hasSize(4);
            assertThat(model.messages().getLast().text()).isEmpty();
            return null;
        });
        awaitReplyEnd();
        onUi(() -> {
            MessageItem again = model.messages().getLast();
            assertThat(again.messageId()).isPresent();
            assertThat(again.messageId().getAsLong()).isNotEqualTo(firstReply);
            assertThat(again.text()).isNotBlank();
            return null;
        });
        assertThat(service.history().messages(conversation)).hasSize(4);

        onUi(() -> {
            model.edit(model.messages().getFirst());
            assertThat(model.editingProperty().get()).isEqualTo("hello");
            assertThat(model.draftProperty().get()).isEqualTo("hello");
            model.cancelEdit();
            assertThat(model.editingProperty().get()).isEmpty();
            assertThat(model.draftProperty().get()).isEmpty();
            model.edit(model.messages().getFirst());
            model.draftProperty().set("hello");
            model.send();
            assertThat(model.messages()).extracting(MessageItem::text).containsExactly("hello", "");
            return null;
        });
        awaitReplyEnd();
        onUi(() -> {
            assertThat(model.messages()).extracting(MessageItem::text).containsExactly("hello", GREEDY_REPLY);
            assertThat(model.editingProperty().get()).isEmpty();
            return null;
        });
        // The edited question is a new branch: the window shows it, and the old branch is kept.
        assertThat(service.history().messages(conversation)).extracting(m -> m.text()).containsExactly("hello", GREEDY_REPLY);
    }

    @Test
    void settingsAreReadAndSavedForTheOpenConversationAndNewOnes() throws Exception {
        sendAndWait("hello");
        long conversation = onUi(() -> model.conversation().orElseThrow());
        java.util.concurrent.CompletableFuture<dev.kestrel.ui.settings.ChatSettings> loaded = new java.util.concurrent.CompletableFuture<>();
        onUi(() -> {
            model.loadSettings(loaded::complete);
            return null;
        });
        dev.kestrel.ui.settings.ChatSettings current = loaded.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(current.conversationPrompt()).contains("");
        assertThat(current.newConversationPrompt()).isEmpty();
        assertThat(current.sampling()).isEqualTo(dev.kestrel.app.chat.SamplingChoice.MODEL_DEFAULT);
        assertThat(current.modelSampling().temperature()).isPresent();
        assertThat(current.threads()).isEmpty();
        assertThat(current.device()).isEqualTo("auto");
        assertThat(current.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(current.dataFolder()).isEqualTo(home.toAbsolutePath());
        java.util.List<dev.kestrel.app.AppPaths> reloads = new java.util.concurrent.CopyOnWriteArrayList<>();
        onUi(() -> {
            model.setOnReload(reloads::add);
            model.saveSettings(new dev.kestrel.ui.settings.ChatSettings(java.util.Optional.of("Be kind."), "Be brief.",
                    dev.kestrel.app.chat.SamplingChoice.GREEDY, current.modelSampling(), current.device(), current.threads(), current.cores(),
                    current.dataFolder(), current.dataFolderFixedBy()));
            return null;
        });
        awaitUi(() -> service.history().systemPrompt(conversation).equals("Be kind.")
                && service.sampling().greedy());
        assertThat(service.setting(ChatService.DEFAULT_SYSTEM_PROMPT)).contains("Be brief.");
        assertThat(reloads).as("nothing the model was loaded with changed").isEmpty();

        // New threads load the model again over the same folder.
        onUi(() -> {
            model.saveSettings(new dev.kestrel.ui.settings.ChatSettings(java.util.Optional.of("Be kind."), "Be brief.",
                    dev.kestrel.app.chat.SamplingChoice.GREEDY, current.modelSampling(), "cpu", java.util.OptionalInt.of(1), current.cores(),
                    current.dataFolder(), current.dataFolderFixedBy()));
            return null;
        });
        awaitUi(() -> reloads.size() == 1);
        assertThat(reloads.getFirst().home()).isEqualTo(home.toAbsolutePath());
        assertThat(service.threads()).hasValue(1);
        assertThat(service.deviceChoice()).isEqualTo("cpu");

        // Another data folder: the history is copied there, and the window is told to go on there.
        Path moved = home.resolveSibling(home.getFileName() + "-moved");
        try {
            onUi(() -> {
                model.saveSettings(new dev.kestrel.ui.settings.ChatSettings(java.util.Optional.of("Be kind."), "Be brief.",
                        dev.kestrel.app.chat.SamplingChoice.GREEDY, current.modelSampling(), "cpu", java.util.OptionalInt.of(1), current.cores(),
                        moved, current.dataFolderFixedBy()));
                return null;
            });
            awaitUi(() -> reloads.size() == 2);
            assertThat(reloads.get(1).home()).isEqualTo(moved.toAbsolutePath());
            assertThat(moved.resolve("kestrel.db")).isRegularFile();
            onUi(() -> {
                model.attach(service); // as the window does once the model is loaded again
                assertThat(model.statusProperty().get()).startsWith("Kestrel's history and models were copied to " + moved);
                return null;
            });
        } finally {
            java.nio.file.Files.deleteIfExists(dev.kestrel.app.DataFolder.addressFile());
            try (var files = java.nio.file.Files.walk(moved)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void aFailedLoadIsShownAndKeepsTheComposerClosed() {
        onUi(() -> {
            model.failed("model folder '/x' does not exist");
            assertThat(model.statusProperty().get()).isEqualTo("Cannot load the model: model folder '/x' does not exist");
            assertThat(model.readyProperty().get()).isFalse();
            return null;
        });
    }

    private void sendAndWait(String text) {
        onUi(() -> {
            model.attach(service);
            model.draftProperty().set(text);
            model.send();
            return null;
        });
        awaitReplyEnd();
    }

    private void awaitReplyEnd() {
        awaitUi(() -> !model.replyingProperty().get() && model.messages().getLast().footerProperty().get().contains("tokens"));
    }

    private void awaitUi(Callable<Boolean> condition) {
        ui.await(condition);
    }

    private <T> T onUi(Callable<T> action) {
        return ui.call(action);
    }
}
