package dev.kestrel.app.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.inference.generate.FinishReason;
import dev.kestrel.inference.generate.GenerationEvent;
import dev.kestrel.inference.generate.GenerationResult;
import dev.kestrel.inference.generate.Timings;
import dev.kestrel.inference.generate.Usage;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.Role;
import dev.kestrel.storage.SamplingSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reply keeps streaming when the history cannot be written (SQLite refusing the write, as with a
 * full disk): the text stays in memory, saving is retried, and the user is told once, then told
 * again when it is saved.
 */
class ReplyRecorderTest {

    @TempDir
    Path dir;

    Database db;
    long reply;
    final List<String> notices = new ArrayList<>();

    @BeforeEach
    void aReplyRowAndAWayToRefuseWrites() throws Exception {
        Path file = dir.resolve("history.db");
        db = Database.open(file);
        long chat = db.conversations().create("Chat", "m").id();
        Message question = db.messages().append(chat, OptionalLong.empty(), Role.USER, "hi");
        reply = db.messages().startReply(chat, question.id(), "m", SamplingSettings.GREEDY).id();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = raw.createStatement()) {
            statement.executeUpdate("CREATE TRIGGER refuse BEFORE UPDATE ON messages"
                    + " WHEN (SELECT value FROM settings WHERE key = 'refuse') = 'yes'"
                    + " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
        }
    }

    @Test
    void textIsKeptInMemoryRetriedAndSavedOnceWritingWorksAgain() throws Exception {
        ReplyRecorder recorder = new ReplyRecorder(db, reply, notices::add);
        db.settings().put("refuse", "yes");
        stream(recorder, "Hello");
        stream(recorder, ", world");
        assertThat(recorder.unsaved()).isTrue();
        assertThat(notices).singleElement().asString().startsWith("Kestrel cannot save to the history right now")
                .contains("database or disk is full").endsWith("the reply is kept in memory and saving is retried.");
        assertThat(db.messages().find(reply).orElseThrow().content()).isEmpty();

        db.settings().put("refuse", "no");
        stream(recorder, "!");
        assertThat(recorder.unsaved()).isFalse();
        assertThat(db.messages().find(reply).orElseThrow().content()).isEqualTo("Hello, world!");

        assertThat(recorder.finish(result("Hello, world!"))).isTrue();
        assertThat(notices).last().isEqualTo("The reply is saved now.");
        Message saved = db.messages().find(reply).orElseThrow();
        assertThat(saved.status()).isEqualTo(MessageStatus.COMPLETE);
        assertThat(saved.metrics().completionTokens()).isEqualTo(3);
        db.close();
    }

    @Test
    void whenTheFinalSaveKeepsFailingTheUserIsToldTheReplyIsNotSaved() {
        ReplyRecorder recorder = new ReplyRecorder(db, reply, notices::add);
        stream(recorder, "Partial");
        db.settings().put("refuse", "yes");
        assertThat(recorder.finish(result("Partial answer"))).isFalse();
        assertThat(notices).last().asString().startsWith("Kestrel could not save this reply to the history")
                .endsWith("It is still shown here; copy it if you need it.");
        // What was saved while streaming is still there, for recovery to mark interrupted.
        Message kept = db.messages().find(reply).orElseThrow();
        assertThat(kept.content()).isEqualTo("Partial");
        assertThat(kept.status()).isEqualTo(MessageStatus.STREAMING);
        db.close();
    }

    /** One text event, after the save interval has passed, so that it is saved (or tried). */
    private static void stream(ReplyRecorder recorder, String delta) {
        try {
            Thread.sleep(ReplyRecorder.SAVE_INTERVAL_MS + 20);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        recorder.accept(new GenerationEvent.Text(delta));
    }

    private static GenerationResult result(String text) {
        return new GenerationResult(text, "", List.of(1, 2, 3), FinishReason.STOP, new Usage(5, 0, 0, 3),
                new Timings(0, 0, 1, 2, 3, 3), "CPUExecutionProvider");
    }
}
