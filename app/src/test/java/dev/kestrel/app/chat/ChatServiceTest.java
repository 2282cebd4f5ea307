package dev.kestrel.app.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat use case on a real SQLite file and the real engine. */
class ChatServiceTest {

    @TempDir
    Path home;

    @Test
    void aMessageAndItsStreamedReplyAreStoredAndSurviveReopening() throws Exception {
        AppPaths paths = new AppPaths(home);
        List<ReplyEvent> events = new CopyOnWriteArrayList<>();
        long conversation;
        try (ChatService chat = ChatService.open(paths, BundledModels.model("fixtures/tiny-decoder"))) {
            Reply reply = chat.send(OptionalLong.empty(), "hello", events::add);
            ReplyEvent end = reply.done().get(30, TimeUnit.SECONDS);
            conversation = reply.conversationId();

            assertThat(end).isInstanceOf(ReplyEvent.Finished.class);
            ReplyEvent.Finished finished = (ReplyEvent.Finished) end;
            assertThat(finished.outcome()).isEqualTo(ReplyOutcome.COMPLETE);
            assertThat(finished.stats().device()).isEqualTo("CPUExecutionProvider");
            String streamed = events.stream().filter(ReplyEvent.Text.class::isInstance)
                    .map(e -> ((ReplyEvent.Text) e).delta()).reduce("", String::concat);
            assertThat(streamed).isEqualTo(finished.text()).isNotBlank();
            assertThat(events.getLast()).isEqualTo(end);
        }
        try (ChatService chat = ChatService.open(paths, BundledModels.model("fixtures/tiny-decoder"))) {
            assertThat(chat.history().conversations(10)).extracting(ConversationSummary::title).containsExactly("hello");
            assertThat(chat.history().messages(conversation))
                    .extracting(HistoryMessage::speaker, HistoryMessage::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(HistoryMessage.Speaker.USER, "complete"),
                            org.assertj.core.groups.Tuple.tuple(HistoryMessage.Speaker.ASSISTANT, "complete"));
            assertThat(chat.history().messages(conversation).getLast().text()).isNotBlank();
        }
    }

    @Test
    void aConversationContinuesAndAStoppedReplyIsKeptAsCancelled() throws Exception {
        try (ChatService chat = ChatService.open(new AppPaths(home), BundledModels.model("fixtures/tiny-decoder"))) {
            Reply first = chat.send(OptionalLong.empty(), "hello", e -> {});
            first.done().get(30, TimeUnit.SECONDS);
            Reply[] second = new Reply[1];
            second[0] = chat.send(OptionalLong.of(first.conversationId()), "Kestrel", event -> {
                if (event instanceof ReplyEvent.Text && second[0] != null) {
                    second[0].stop();
                }
            });
            ReplyEvent end = second[0].done().get(30, TimeUnit.SECONDS);

            assertThat(end).isInstanceOfSatisfying(ReplyEvent.Finished.class,
                    f -> assertThat(f.outcome()).isEqualTo(ReplyOutcome.STOPPED));
            assertThat(chat.history().messages(first.conversationId())).extracting(HistoryMessage::status)
                    .containsExactly("complete", "complete", "complete", "cancelled");
        }
    }

    @Test
    void conversationsAreRenamedPinnedFoundAndDeleted() throws Exception {
        try (ChatService chat = ChatService.open(new AppPaths(home), BundledModels.model("fixtures/tiny-decoder"))) {
            chat.send(OptionalLong.empty(), "hello zebra", e -> {}).done().get(30, TimeUnit.SECONDS);
            long older = chat.history().conversations(1).getFirst().id();
            chat.send(OptionalLong.empty(), "Kestrel", e -> {}).done().get(30, TimeUnit.SECONDS);
            long newer = chat.history().conversations(1).getFirst().id();
            assertThat(chat.history().conversations(10)).extracting(ConversationSummary::id).containsExactly(newer, older);

            chat.history().pin(older, true);
            chat.history().rename(older, "  Greetings \n and more  ");
            assertThat(chat.history().conversations(10)).extracting(ConversationSummary::id, ConversationSummary::title, ConversationSummary::pinned)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(older, "Greetings and more", true),
                            org.assertj.core.groups.Tuple.tuple(newer, "Kestrel", false));
            assertThatThrownBy(() -> chat.history().rename(older, " ")).isInstanceOf(AppException.class)
                    .hasMessage("a conversation's title may not be empty");

            List<HistoryHit> hits = chat.history().search("zeb", 10);
            assertThat(hits).isNotEmpty().allSatisfy(hit -> assertThat(hit.conversationId()).isEqualTo(older));
            HistoryHit hit = hits.stream().filter(h -> h.messageId().isPresent()).findFirst().orElseThrow();
            HistoryHit.Highlight mark = hit.highlights().getFirst();
            assertThat(hit.snippet().substring(mark.start(), mark.end())).isEqualTo("zebra");
            assertThat(chat.history().messages(older)).extracting(HistoryMessage::id).contains(hit.messageId().getAsLong());

            chat.history().delete(older);
            assertThat(chat.history().conversations(10)).extracting(ConversationSummary::id).containsExactly(newer);
            assertThat(chat.history().search("zebra", 10)).isEmpty();
            assertThatThrownBy(() -> chat.history().delete(older)).hasMessage("conversation " + older + " does not exist");
            assertThatThrownBy(() -> chat.history().pin(older, false)).hasMessage("conversation " + older + " does not exist");
        }
    }

    @Test
    void aRegeneratedReplyAndAnEditedQuestionAreNewBranchesThatTheWindowShowsNext() throws Exception {
        try (ChatService chat = ChatService.open(new AppPaths(home), BundledModels.model("fixtures/tiny-decoder"))) {
            Reply first = chat.send(OptionalLong.empty(), "hello", e -> {});
            first.done().get(30, TimeUnit.SECONDS);
            long conversation = first.conversationId();
            Reply second = chat.send(OptionalLong.of(conversation), "Kestrel", e -> {});
            second.done().get(30, TimeUnit.SECONDS);

            Reply again = chat.regenerate(conversation, ThinkingStop.OFF, e -> {});
            assertThat(again.done().get(30, TimeUnit.SECONDS)).isInstanceOf(ReplyEvent.Finished.class);
            assertThat(again.questionId()).isEqualTo(second.questionId());
            assertThat(chat.history().messages(conversation)).extracting(HistoryMessage::id)
                    .containsExactly(first.questionId(), first.replyId(), second.questionId(), again.replyId());

            Reply edited = chat.edit(conversation, first.questionId(), "hello again", ThinkingStop.OFF, e -> {});
            edited.done().get(30, TimeUnit.SECONDS);
            List<HistoryMessage> shown = chat.history().messages(conversation);
            assertThat(shown).extracting(HistoryMessage::text).first().isEqualTo("hello again");
            assertThat(shown).extracting(HistoryMessage::id).containsExactly(edited.questionId(), edited.replyId());
            assertThat(shown.getLast().status()).isEqualTo("complete");

            assertThatThrownBy(() -> chat.edit(conversation, first.replyId(), "x", ThinkingStop.OFF, e -> {}))
                    .hasMessage("message " + first.replyId() + " is not a question of conversation " + conversation);
            long empty = chat.history().conversations(10).getFirst().id();
            assertThatThrownBy(() -> chat.regenerate(99, ThinkingStop.OFF, e -> {})).hasMessage("conversation 99 does not exist");
            assertThat(empty).isEqualTo(conversation);
        }
    }

    @Test
    void aSystemPromptGoesBeforeTheTurnsAndNewConversationsStartWithTheDefaultOne() throws Exception {
        AppPaths paths = new AppPaths(home);
        // A model with a chat template (the tiny decoder has none, and reads the last message alone).
        Path qwen3 = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-qwen3");
        try (ChatService chat = ChatService.open(paths, qwen3)) {
            ReplyEvent.Finished plain = (ReplyEvent.Finished) chat.send(OptionalLong.empty(), "hello", e -> {}).done().get(30, TimeUnit.SECONDS);
            long conversation = chat.history().conversations(1).getFirst().id();
            assertThat(chat.history().systemPrompt(conversation)).isEmpty();

            chat.history().setSystemPrompt(conversation, "  Answer in one short sentence.  ");
            assertThat(chat.history().systemPrompt(conversation)).isEqualTo("Answer in one short sentence.");
            chat.setSetting(ChatService.DEFAULT_SYSTEM_PROMPT, "Be brief.");
            ReplyEvent.Finished fresh = (ReplyEvent.Finished) chat.send(OptionalLong.empty(), "hello", e -> {}).done().get(30, TimeUnit.SECONDS);
            long second = chat.history().conversations(1).getFirst().id();
            assertThat(second).isNotEqualTo(conversation);
            assertThat(chat.history().systemPrompt(second)).isEqualTo("Be brief.");
            // The same question reads more tokens with a system prompt before it.
            assertThat(fresh.stats().promptTokens()).isGreaterThan(plain.stats().promptTokens());

            assertThat(chat.sampling()).isEqualTo(SamplingChoice.MODEL_DEFAULT);
            assertThat(chat.modelSampling().temperature()).hasValue(0.6); // the fixture's generation_config.json
            // A seed makes sampled replies repeatable: a hot, seeded sampler says the same thing twice.
            chat.setSampling(new SamplingChoice(java.util.OptionalDouble.of(1.5), java.util.OptionalDouble.of(1.0),
                    java.util.OptionalInt.of(0), java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty(), java.util.OptionalLong.of(7)));
            String once = replyText(chat, "tell me something");
            assertThat(replyText(chat, "tell me something")).isEqualTo(once);
            chat.setSampling(new SamplingChoice(java.util.OptionalDouble.of(0.2), java.util.OptionalDouble.empty(),
                    java.util.OptionalInt.of(5), java.util.OptionalDouble.empty(), java.util.OptionalDouble.of(1.1), java.util.OptionalLong.of(42)));
            assertThatThrownBy(() -> new SamplingChoice(java.util.OptionalDouble.empty(), java.util.OptionalDouble.of(1.5),
                    java.util.OptionalInt.empty(), java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty(), java.util.OptionalLong.empty()))
                    .isInstanceOf(AppException.class).hasMessage("top-p must be in (0, 1], not 1.5");
        }
        try (ChatService chat = ChatService.open(paths, qwen3)) {
            assertThat(chat.sampling().temperature()).hasValue(0.2);
            assertThat(chat.sampling().topK()).hasValue(5);
            assertThat(chat.sampling().topP()).isEmpty();
            assertThat(chat.sampling().repetitionPenalty()).hasValue(1.1);
            assertThat(chat.sampling().seed()).hasValue(42);
            chat.setSampling(SamplingChoice.GREEDY);
            assertThat(chat.sampling().greedy()).isTrue();
            chat.setSampling(SamplingChoice.MODEL_DEFAULT);
        }
        try (ChatService chat = ChatService.open(paths, qwen3)) {
            assertThat(chat.sampling()).isEqualTo(SamplingChoice.MODEL_DEFAULT);
        }
    }

    @Test
    void theModelChosenLastOpensAgainAndAModelThatCannotLoadAnyMoreFallsBackWithANotice() {
        AppPaths paths = new AppPaths(home);
        Path qwen3 = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-qwen3");
        try (ChatService chat = ChatService.open(paths, qwen3)) {
            chat.remember();
        }
        try (ChatService chat = ChatService.openLast(paths, BundledModels.model("fixtures/tiny-decoder"))) {
            assertThat(chat.modelName()).isEqualTo("tiny-qwen3");
            assertThat(chat.historyNotice()).isEmpty();
            chat.setSetting(ChatService.MODEL_SETTING, home.resolve("gone").toString());
        }
        try (ChatService chat = ChatService.openLast(paths, BundledModels.model("fixtures/tiny-decoder"))) {
            assertThat(chat.modelName()).isEqualTo("tiny-decoder");
            assertThat(chat.historyNotice()).hasValueSatisfying(notice -> assertThat(notice)
                    .startsWith("The model chosen last (gone) could not be loaded: ").endsWith("tiny-decoder was opened instead."));
        }
        assertThat(ModelChoice.available(paths)).extracting(ModelChoice::bundled).containsExactly(true);
    }

    @Test
    void anEmptyMessageOrAnUnknownConversationIsRefused() {
        try (ChatService chat = ChatService.open(new AppPaths(home), BundledModels.model("fixtures/tiny-decoder"))) {
            assertThatThrownBy(() -> chat.send(OptionalLong.empty(), "  \n", e -> {})).isInstanceOf(AppException.class)
                    .hasMessage("the message is empty");
            assertThatThrownBy(() -> chat.send(OptionalLong.of(99), "hi", e -> {})).hasMessage("conversation 99 does not exist");
        }
    }

    @Test
    void aReplyThatFailsKeepsItsPlaceAsFailed() throws Exception {
        try (ChatService chat = ChatService.open(new AppPaths(home), BundledModels.model("fixtures/tiny-decoder"))) {
            Reply reply = chat.send(OptionalLong.empty(), "hello ".repeat(600), e -> {});
            ReplyEvent end = reply.done().get(30, TimeUnit.SECONDS);
            assertThat(end).isInstanceOfSatisfying(ReplyEvent.Failed.class,
                    f -> assertThat(f.message()).isEqualTo("the message is 1200 tokens long with its prompt, and this model reads at most"
                            + " 512 tokens with room for the reply; shorten it"));
            assertThat(chat.history().messages(reply.conversationId())).extracting(HistoryMessage::status)
                    .containsExactly("complete", "failed");
        }
    }

    @Test
    void aDamagedHistoryIsKeptAsideAndTheUserIsTold() throws Exception {
        AppPaths paths = new AppPaths(home);
        java.nio.file.Files.createDirectories(paths.database().getParent());
        java.nio.file.Files.writeString(paths.database(), "not a database ".repeat(500));
        try (ChatService chat = ChatService.open(paths, BundledModels.model("fixtures/tiny-decoder"))) {
            assertThat(chat.historyNotice()).hasValueSatisfying(notice -> assertThat(notice)
                    .startsWith("The history database was damaged, so Kestrel started a new one.")
                    .contains(paths.database().getFileName() + ".damaged-"));
            assertThat(chat.history().conversations(10)).isEmpty();
        }
        try (ChatService chat = ChatService.open(paths, BundledModels.model("fixtures/tiny-decoder"))) {
            assertThat(chat.historyNotice()).isEmpty();
        }
    }

    @Test
    void titlesAreTheFirstLineShortened() {
        assertThat(ChatService.title("  What is this?\nmore")).isEqualTo("What is this?");
        assertThat(ChatService.title("x".repeat(100))).hasSize(60).endsWith("…");
    }

    private static String replyText(ChatService chat, String question) throws Exception {
        ReplyEvent end = chat.send(OptionalLong.empty(), question, e -> {}).done().get(30, TimeUnit.SECONDS);
        assertThat(end).isInstanceOf(ReplyEvent.Finished.class);
        return ((ReplyEvent.Finished) end).text();
    }
}
