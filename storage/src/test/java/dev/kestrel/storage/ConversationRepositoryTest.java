package dev.kestrel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationRepositoryTest {

    @TempDir
    Path dir;

    @Test
    void pinnedConversationsComeFirstAndArchivedOnesOnlyInTheArchive() {
        try (Database db = Database.open(dir.resolve("kestrel.db"), new MessageRepositoryTest.TickingClock())) {
            long a = db.conversations().create("A", "").id();
            long b = db.conversations().create("B", "").id();
            long c = db.conversations().create("C", "").id();
            long d = db.conversations().create("D", "").id();
            db.conversations().pin(a, true);
            db.conversations().archive(c, true);

            assertThat(db.conversations().page(false, 0, 10)).extracting(Conversation::id).containsExactly(a, d, b);
            assertThat(db.conversations().page(false, 1, 1)).extracting(Conversation::id).containsExactly(d);
            assertThat(db.conversations().page(true, 0, 10)).extracting(Conversation::id).containsExactly(c);
            assertThat(db.conversations().find(a).orElseThrow().pinned()).isTrue();
            assertThat(db.conversations().count()).isEqualTo(4);
        }
    }

    @Test
    void perConversationSettingsAreKept() {
        Path file = dir.resolve("kestrel.db");
        long id;
        try (Database db = Database.open(file)) {
            id = db.conversations().create("Settings", "demo").id();
            Conversation fresh = db.conversations().find(id).orElseThrow();
            assertThat(fresh.systemPrompt()).isEmpty();
            assertThat(fresh.thinkBudget()).isEmpty();
            db.conversations().setSystemPrompt(id, "Answer in French.");
            db.conversations().setThinkBudget(id, OptionalInt.of(512));
        }
        try (Database db = Database.open(file)) {
            Conversation kept = db.conversations().find(id).orElseThrow();
            assertThat(kept.systemPrompt()).isEqualTo("Answer in French.");
            assertThat(kept.thinkBudget()).hasValue(512);
            db.conversations().setThinkBudget(id, OptionalInt.of(Conversation.UNLIMITED));
            assertThat(db.conversations().find(id).orElseThrow().thinkBudget()).hasValue(Conversation.UNLIMITED);
            db.conversations().setThinkBudget(id, OptionalInt.empty());
            assertThat(db.conversations().find(id).orElseThrow().thinkBudget()).isEmpty();
            assertThatThrownBy(() -> db.conversations().setThinkBudget(id, OptionalInt.of(-2)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> db.conversations().pin(9999, true))
                    .isInstanceOf(StorageException.class).hasMessageStartingWith("conversation 9999 is not in the history database");
        }
    }

    @Test
    void regeneratedRepliesAndEditedQuestionsAreBranches() {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long id = db.conversations().create("Branches", "").id();
            Message question = db.messages().append(id, OptionalLong.empty(), Role.USER, "Name a bird.");
            Message first = finished(db, id, question, "A kestrel.");
            Message regenerated = finished(db, id, question, "A robin.");
            Message followUp = db.messages().append(id, OptionalLong.of(regenerated.id()), Role.USER, "Another?");
            Message edited = db.messages().append(id, OptionalLong.of(regenerated.id()), Role.USER, "A bigger one?");
            Message answer = finished(db, id, edited, "An eagle.");

            assertThat(db.messages().children(question.id())).extracting(Message::id).containsExactly(first.id(), regenerated.id());
            assertThat(db.messages().children(regenerated.id())).extracting(Message::id).containsExactly(followUp.id(), edited.id());
            assertThat(db.messages().thread(answer.id())).extracting(Message::content)
                    .containsExactly("Name a bird.", "A robin.", "A bigger one?", "An eagle.");
            assertThat(db.messages().thread(first.id())).extracting(Message::content).containsExactly("Name a bird.", "A kestrel.");
        }
    }

    @Test
    void aReplyKeepsHowItWasSampledAndWhatItCost() {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long id = db.conversations().create("Costs", "").id();
            Message question = db.messages().append(id, OptionalLong.empty(), Role.USER, "hi");
            SamplingSettings sampling = new SamplingSettings(0.6, 0.95, 20, 0.05, 1.1, 42);
            Message reply = db.messages().startReply(id, question.id(), "qwen3", sampling);
            ReplyMetrics metrics = new ReplyMetrics(120, 64, 30, 42, 180, 2400, "CPUExecutionProvider");
            db.messages().finishReply(reply.id(), "hello", "greet back", MessageStatus.COMPLETE, metrics);

            Message stored = db.messages().find(reply.id()).orElseThrow();
            assertThat(stored.sampling()).isEqualTo(sampling);
            assertThat(stored.metrics()).isEqualTo(metrics);
            assertThat(stored.thinking()).isEqualTo("greet back");
            assertThat(db.messages().find(question.id()).orElseThrow().metrics()).isEqualTo(ReplyMetrics.NONE);
        }
    }

    @Test
    void settingsAreTextByKey() {
        Path file = dir.resolve("kestrel.db");
        try (Database db = Database.open(file)) {
            assertThat(db.settings().get("theme")).isEmpty();
            db.settings().put("theme", "dark");
            db.settings().put("theme", "light");
        }
        try (Database db = Database.open(file)) {
            assertThat(db.settings().get("theme")).contains("light");
            db.settings().remove("theme");
            assertThat(db.settings().get("theme")).isEmpty();
        }
    }

    private static Message finished(Database db, long conversation, Message parent, String text) {
        Message reply = db.messages().startReply(conversation, parent.id(), "m", SamplingSettings.GREEDY);
        db.messages().finishReply(reply.id(), text, "", MessageStatus.COMPLETE, ReplyMetrics.NONE);
        return db.messages().find(reply.id()).orElseThrow();
    }
}
