package dev.kestrel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageRepositoryTest {

    @TempDir
    Path dir;

    @Test
    void aReplyGrowsWhileStreamingAndEndsComplete() {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            Conversation chat = db.conversations().create("Chat", "tiny-decoder");
            Message question = db.messages().append(chat.id(), OptionalLong.empty(), Role.USER, "hello");
            Message reply = db.messages().startReply(chat.id(), question.id(), "tiny-decoder", SamplingSettings.GREEDY);
            assertThat(reply.status()).isEqualTo(MessageStatus.STREAMING);

            db.messages().updateReply(reply.id(), ", I am", "");
            assertThat(db.messages().find(reply.id())).map(Message::content).contains(", I am");

            db.messages().finishReply(reply.id(), ", I am Kestrel", "", MessageStatus.COMPLETE, ReplyMetrics.NONE);
            assertThat(db.messages().ofConversation(chat.id()))
                    .extracting(Message::role, Message::content, Message::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(Role.USER, "hello", MessageStatus.COMPLETE),
                            org.assertj.core.groups.Tuple.tuple(Role.ASSISTANT, ", I am Kestrel", MessageStatus.COMPLETE));
            assertThat(db.messages().find(reply.id()).orElseThrow().parentId()).hasValue(question.id());
        }
    }

    @Test
    void aFinishedReplyCannotBeStreaming() {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            assertThatThrownBy(() -> db.messages().finishReply(1, "", "", MessageStatus.STREAMING, ReplyMetrics.NONE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> db.messages().finishReply(404, "", "", MessageStatus.COMPLETE, ReplyMetrics.NONE))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("message 404 is not in the history database");
        }
    }

    @Test
    void theMostRecentlyActiveConversationComesFirst() {
        try (Database db = Database.open(dir.resolve("kestrel.db"), new TickingClock())) {
            Conversation older = db.conversations().create("Older", "");
            Conversation newer = db.conversations().create("Newer", "");
            assertThat(db.conversations().recent(10)).extracting(Conversation::id).containsExactly(newer.id(), older.id());

            db.messages().append(older.id(), OptionalLong.empty(), Role.USER, "bump");
            assertThat(db.conversations().recent(10)).extracting(Conversation::id).containsExactly(older.id(), newer.id());
            assertThat(db.conversations().recent(1)).hasSize(1);
        }
    }

    /** A clock one second further on at every reading. */
    static final class TickingClock extends java.time.Clock {
        private java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public synchronized java.time.Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }
    }

    @Test
    void aReplyLeftStreamingByADeadProcessBecomesInterruptedWithItsText() throws Exception {
        Path file = dir.resolve("kestrel.db");
        long abandoned;
        long live;
        try (Database db = Database.open(file)) {
            Conversation chat = db.conversations().create("Chat", "");
            Message question = db.messages().append(chat.id(), OptionalLong.empty(), Role.USER, "hello");
            abandoned = db.messages().startReply(chat.id(), question.id(), "m", SamplingSettings.GREEDY).id();
            db.messages().updateReply(abandoned, "half a repl", "");
            live = db.messages().startReply(chat.id(), question.id(), "m", SamplingSettings.GREEDY).id();
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = raw.createStatement()) {
            // The first reply's writer is a process that no longer exists; the second's is this one, still alive.
            statement.executeUpdate("UPDATE messages SET writer = '2147483646@1' WHERE id = " + abandoned);
        }
        try (Database db = Database.open(file)) {
            Message recovered = db.messages().find(abandoned).orElseThrow();
            assertThat(recovered.status()).isEqualTo(MessageStatus.INTERRUPTED);
            assertThat(recovered.content()).isEqualTo("half a repl");
            assertThat(db.messages().find(live).orElseThrow().status()).isEqualTo(MessageStatus.STREAMING);
        }
    }
}
