package dev.kestrel.app.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.app.AppException;
import dev.kestrel.storage.AttachmentRepository;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.NewAttachment;
import dev.kestrel.storage.ReplyMetrics;
import dev.kestrel.storage.Role;
import dev.kestrel.storage.SamplingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryArchiveTest {

    @TempDir
    Path dir;

    static final byte[] SMALL = bytes(2_000, 1);
    static final byte[] LARGE = bytes((1 << 20) + 5, 2);

    /** Two conversations with settings, a branch, statuses, figures and files (one inline, one beside the database). */
    static List<Long> someHistory(Database db) {
        long birds = db.conversations().create("Birds", "demo").id();
        db.conversations().setSystemPrompt(birds, "Be brief.");
        db.conversations().setThinkBudget(birds, OptionalInt.of(256));
        db.conversations().pin(birds, true);
        Message question = db.messages().append(birds, OptionalLong.empty(), Role.USER, "What is this bird?",
                List.of(NewAttachment.image("bird.png", "image/png", SMALL, 64, 48),
                        new NewAttachment("guide.pdf", "application/pdf", LARGE, 0, 0, 30, "2-3")));
        Message first = db.messages().startReply(birds, question.id(), "demo", new SamplingSettings(0.7, 0.9, 40, 0.05, 1.1, 7));
        db.messages().finishReply(first.id(), "A kestrel.", "It hovers.", MessageStatus.COMPLETE,
                new ReplyMetrics(100, 64, 3, 4, 120, 900, "CPUExecutionProvider"));
        Message second = db.messages().startReply(birds, question.id(), "demo", SamplingSettings.GREEDY);
        db.messages().finishReply(second.id(), "A falc", "", MessageStatus.CANCELLED, ReplyMetrics.NONE);
        long plain = db.conversations().create("Sums", "").id();
        db.conversations().archive(plain, true);
        Message sum = db.messages().append(plain, OptionalLong.empty(), Role.USER, "2 + 2?",
                List.of(NewAttachment.image("again.png", "image/png", SMALL, 64, 48)));
        Message answer = db.messages().startReply(plain, sum.id(), "", SamplingSettings.GREEDY);
        db.messages().updateReply(answer.id(), "4", "");
        return db.conversations().ids();
    }

    @Test
    void importingAnExportGivesTheSameHistory() {
        ObjectNode exported;
        try (Database db = Database.open(dir.resolve("a/history.db"))) {
            exported = HistoryArchive.export(db, someHistory(db));
        }
        assertThat(exported.get("attachments").size()).isEqualTo(2);
        ObjectNode again;
        try (Database other = Database.open(dir.resolve("b/history.db"))) {
            List<Long> ids = HistoryArchive.importInto(other, exported);
            assertThat(ids).hasSize(2);
            again = HistoryArchive.export(other, ids);
            assertThat(other.attachments().count()).isEqualTo(2);
            assertThat(other.attachments().bytes(AttachmentRepository.sha256(LARGE))).isEqualTo(LARGE);
            assertThat(other.messages().children(other.messages().ofConversation(ids.getFirst()).getFirst().id())).hasSize(2);
            assertThat(other.search().search("kestrel", 0, 10)).hasSize(1);
        }
        // The reply left streaming in the first history comes back interrupted; everything else is as it was.
        String streaming = exported.toString();
        assertThat(streaming).contains("\"status\":\"streaming\"");
        assertThat(again.toString()).isEqualTo(streaming.replace("\"status\":\"streaming\"", "\"status\":\"interrupted\""));
    }

    @Test
    void aDamagedOrForeignFileIsRefusedWhole() {
        ObjectNode exported;
        try (Database db = Database.open(dir.resolve("a/history.db"))) {
            exported = HistoryArchive.export(db, someHistory(db));
        }
        ObjectNode damaged = exported.deepCopy();
        ((ObjectNode) damaged.get("attachments").get(AttachmentRepository.sha256(SMALL)))
                .put("data", java.util.Base64.getEncoder().encodeToString(bytes(2_000, 9)));
        ObjectNode badRole = exported.deepCopy();
        ((ObjectNode) badRole.get("conversations").get(1).get("messages").get(0)).put("role", "narrator");
        try (Database db = Database.open(dir.resolve("b/history.db"))) {
            assertThatThrownBy(() -> HistoryArchive.importInto(db, damaged)).isInstanceOf(AppException.class)
                    .hasMessageContaining("is damaged (its bytes have another SHA-256)");
            assertThatThrownBy(() -> HistoryArchive.importInto(db, badRole)).isInstanceOf(AppException.class)
                    .hasMessage("conversation 2, message 1: 'narrator' is not a role Kestrel knows");
            assertThatThrownBy(() -> HistoryArchive.importInto(db, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()))
                    .isInstanceOf(AppException.class).hasMessageStartingWith("this is not a Kestrel history export");
            assertThat(db.conversations().count()).isZero();
        }
    }

    @Test
    void markdownShowsTheLatestBranchWithItsFiles() throws Exception {
        try (Database db = Database.open(dir.resolve("a/history.db"))) {
            List<Long> ids = someHistory(db);
            List<Path> files = MarkdownExport.write(db, ids, dir.resolve("md"));
            assertThat(files).extracting(p -> p.getFileName().toString())
                    .containsExactly(String.format("%04d-birds.md", ids.get(0)), String.format("%04d-sums.md", ids.get(1)));
            String birds = Files.readString(files.getFirst());
            assertThat(birds).startsWith("# Birds\n\n_demo · started ")
                    .contains("> System prompt: Be brief.")
                    .contains("## You\n\n![bird.png](files/" + AttachmentRepository.sha256(SMALL) + ".png)\n\n[guide.pdf](files/")
                    .contains("## Kestrel (cancelled)\n\nA falc\n")
                    .doesNotContain("A kestrel.");
            assertThat(dir.resolve("md/files/" + AttachmentRepository.sha256(SMALL) + ".png")).hasBinaryContent(SMALL);
            assertThat(Files.readString(files.get(1))).contains("## Kestrel (streaming)\n\n4\n");
        }
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
