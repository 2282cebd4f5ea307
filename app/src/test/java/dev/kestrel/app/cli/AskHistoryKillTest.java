package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.BundledModels;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.Role;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code kestrel ask --db} with SIGKILL at random moments (while starting, while storing the
 * question, while streaming) 50 times into one database. After every kill the file passes SQLite's
 * integrity check, every message finished before is there unchanged, and the reply being written
 * is kept as interrupted with the text saved so far. A second test ends it with SIGTERM 12 times
 * into another database.
 */
class AskHistoryKillTest {

    private static final int KILLS = 50;
    private static final int TERMINATIONS = 12;

    @TempDir
    Path dir;

    @Test
    void noKillLosesAFinishedMessageOrLeavesAReplyStreaming() throws Exception {
        Path file = dir.resolve("history.db");
        Random random = new Random(20261122);
        Map<Long, String> finished = new HashMap<>();
        int interruptedWithText = 0;
        int completed = 0;
        int failedExits = 0;
        for (int run = 0; run < KILLS; run++) {
            StringBuilder printed = new StringBuilder();
            // A moment anywhere from the JVM's start to the end of the answer, or while it streams (1 to 300 characters).
            Process process = askUntilARandomMoment(file, run, random, printed, 0, 3_000, 300);
            boolean ranToTheEnd = !process.isAlive();
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = raw.createStatement()) {
                assertThat(statement.executeQuery("PRAGMA integrity_check").getString(1)).as("after kill %d", run).isEqualTo("ok");
            }
            try (Database db = Database.open(file)) {
                for (Map.Entry<Long, String> done : finished.entrySet()) {
                    assertThat(db.messages().find(done.getKey())).as("message %d after kill %d", done.getKey(), run)
                            .map(Message::content).contains(done.getValue());
                }
                List<Message> all = new ArrayList<>();
                db.conversations().page(false, 0, 1_000).forEach(c -> all.addAll(db.messages().ofConversation(c.id())));
                assertThat(all).extracting(Message::status).as("after kill %d", run).doesNotContain(MessageStatus.STREAMING);
                for (Message m : all) {
                    if (m.status() == MessageStatus.INTERRUPTED && !finished.containsKey(m.id())) {
                        String saved = m.content();
                        // The reading may have stopped inside a character's bytes: that last character is left out.
                        String seen = printed.toString().replaceAll("\uFFFD$", "");
                        assertThat(saved.startsWith(seen) || seen.startsWith(saved))
                                .as("saved %s, printed %s", saved, seen).isTrue();
                        interruptedWithText += saved.isEmpty() ? 0 : 1;
                    }
                    if (m.status() == MessageStatus.COMPLETE && m.role() == Role.ASSISTANT
                            && !finished.containsKey(m.id())) {
                        completed++;
                    }
                    finished.putIfAbsent(m.id(), m.content());
                }
            }
            if (ranToTheEnd && process.exitValue() != 0) {
                // Seen in 3 of about 400 runs on a loaded 2-core machine, before ADR 0015: SIGSEGV (139). The likely
                // cause, found later, was a stack overflow while ONNX Runtime created its environment, at start, not
                // exit. What this test guards is the history, which the checks above cover either way; the exits
                // are counted and printed.
                failedExits++;
            }
        }
        System.out.printf("%d kills: %d answers completed, %d cut with text saved, %d exits not clean%n", KILLS, completed,
                interruptedWithText, failedExits);
        // The kills landed in every phase: some answers finished, some were cut with text already saved.
        assertThat(interruptedWithText).isPositive();
        assertThat(completed).isPositive();
    }

    /**
     * Ends {@code kestrel ask --db} with SIGTERM (what closing a terminal, {@code kill} or a desktop session's end
     * send; Ctrl+C takes the same path) at random moments: while the model loads and while the answer streams. Every
     * time the JVM ends as a terminated process does (143), never by crashing (an ONNX Runtime session still running
     * while its environment is released, which {@code NativeWork} prevents), and the history keeps the reply cut
     * where it was.
     */
    @Test
    void sigtermEndsTheProcessCleanlyAndTheHistoryKeepsTheCutReply() throws Exception {
        Path file = dir.resolve("history.db");
        Random random = new Random(20261123);
        int cutMidAnswer = 0;
        for (int run = 0; run < TERMINATIONS; run++) {
            StringBuilder printed = new StringBuilder();
            // While starting and loading, or while streaming (after 1 to 200 characters).
            Process process = askUntilARandomMoment(file, run, random, printed, 300, 1_800, 200);
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

    /** {@code kestrel ask --db FILE} in a child JVM, writing a long, seeded story (490 tokens, end of text ignored). */
    private static Process ask(Path file, int run) throws IOException {
        String launcher = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(launcher, "-cp", System.getProperty("java.class.path"), KestrelCli.class.getName(), "ask",
                "--home", file.getParent().resolve("home").toString(), "--db", file.toString(),
                "--model", BundledModels.model("fixtures/tiny-decoder").toString(), "--max-tokens", "490", "--ignore-eos",
                "--temperature", "1.5", "--seed", String.valueOf(run), "--hide-thinking", "Tell me story number " + run);
        return new ProcessBuilder(command).directory(file.getParent().toFile()) // where a JVM crash would leave its hs_err file
                .redirectError(file.resolveSibling("stderr-" + run + ".txt").toFile()).start();
    }

    /**
     * Starts {@link #ask} and reads its answer into {@code printed} until a random moment: in every third run one
     * from {@code fromMillis} to {@code toMillis} after the start (while the JVM starts, the model loads or the
     * answer streams), in the others after 1 to {@code streamedCharacters} characters of the answer.
     */
    private static Process askUntilARandomMoment(Path file, int run, Random random, StringBuilder printed, int fromMillis, int toMillis,
            int streamedCharacters) throws Exception {
        Process process = ask(file, run);
        if (run % 3 == 0) {
            drain(process, printed, -1, fromMillis + random.nextInt(toMillis - fromMillis));
        } else {
            drain(process, printed, 1 + random.nextInt(streamedCharacters), 10_000);
        }
        return process;
    }

    /** Reads the answer into {@code printed} until {@code characters} have come (-1: no limit), the end, or {@code millis}. */
    private static void drain(Process process, StringBuilder printed, int characters, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        InputStream out = process.getInputStream();
        byte[] buffer = new byte[256];
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while (System.nanoTime() < deadline && (characters < 0 || bytes.size() < characters)) {
            if (out.available() > 0) {
                int n = out.read(buffer, 0, characters < 0 ? buffer.length : Math.min(buffer.length, characters - bytes.size()));
                if (n < 0) {
                    break;
                }
                bytes.write(buffer, 0, n);
            } else if (!process.isAlive()) {
                bytes.write(out.readAllBytes());
                break;
            } else {
                Thread.sleep(1);
            }
        }
        printed.append(bytes.toString(StandardCharsets.UTF_8));
    }
}
