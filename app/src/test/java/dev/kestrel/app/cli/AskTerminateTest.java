package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ends {@code kestrel ask --db} with SIGTERM (what closing a terminal, {@code kill} or a desktop
 * session's end send; Ctrl+C takes the same path) at random moments: while the model loads and
 * while the answer streams. Every time the JVM ends as a terminated process does (143), never by
 * crashing (an ONNX Runtime session still running while its environment is released, which
 * {@code NativeWork} prevents), and the history keeps the reply cut where it was.
 */
class AskTerminateTest {

    private static final int RUNS = 12;

    @TempDir
    Path dir;

    @Test
    void sigtermEndsTheProcessCleanlyAndTheHistoryKeepsTheCutReply() throws Exception {
        Path file = dir.resolve("history.db");
        Random random = new Random(20261123);
        int cutMidAnswer = 0;
        for (int run = 0; run < RUNS; run++) {
            Process process = AskHistoryKillTest.ask(file, run);
            StringBuilder printed = new StringBuilder();
            if (run % 3 == 0) {
                AskHistoryKillTest.drain(process, printed, -1, 300 + random.nextInt(1_500)); // while starting and loading
            } else {
                AskHistoryKillTest.drain(process, printed, 1 + random.nextInt(200), 10_000); // while streaming
            }
            boolean ended = !process.isAlive();
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("run %d ends", run).isTrue();
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).as("no JVM crash log after run %d", run)
                        .noneMatch(name -> name.startsWith("hs_err"));
            }
            String stderr = Files.readString(dir.resolve("stderr-" + run + ".txt"));
            // 0 when the answer finished before the signal, 143 when the signal ended it.
            assertThat(process.exitValue()).as("run %d: exit status (stderr: %s)", run, stderr).isEqualTo(ended ? 0 : 143);
            cutMidAnswer += !ended && !printed.isEmpty() ? 1 : 0;
        }
        try (Database db = Database.open(file)) {
            List<Message> replies = new ArrayList<>();
            db.conversations().page(false, 0, 1_000).forEach(c -> db.messages().ofConversation(c.id()).stream()
                    .filter(m -> m.role() == Role.ASSISTANT).forEach(replies::add));
            assertThat(replies).extracting(Message::status).as("replies: %s", replies.stream().map(m -> m.status() + ":" + m.content().length()).toList())
                    .doesNotContain(MessageStatus.STREAMING, MessageStatus.FAILED);
            assertThat(replies).filteredOn(m -> m.status() == MessageStatus.INTERRUPTED).extracting(Message::content)
                    .as("a reply cut mid-answer keeps its text").anyMatch(text -> !text.isEmpty());
        }
        assertThat(cutMidAnswer).as("some runs were ended mid-answer").isPositive();
    }
}
