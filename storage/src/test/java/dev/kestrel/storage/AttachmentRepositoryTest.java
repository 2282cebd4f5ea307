package dev.kestrel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentRepositoryTest {

    @TempDir
    Path dir;

    @Test
    void theSameFileIsStoredOnceAndReadBackWhole() {
        byte[] png = bytes(5_000, 1);
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long a = db.conversations().create("A", "").id();
            long b = db.conversations().create("B", "").id();
            Message first = db.messages().append(a, OptionalLong.empty(), Role.USER, "what is this?",
                    List.of(NewAttachment.image("shot.png", "image/png", png, 640, 480)));
            Message second = db.messages().append(b, OptionalLong.empty(), Role.USER, "and this?",
                    List.of(NewAttachment.image("copy.png", "image/png", png, 640, 480),
                            new NewAttachment("paper.pdf", "application/pdf", bytes(300, 2), 0, 0, 12, "1,3-4")));

            assertThat(db.attachments().count()).isEqualTo(2);
            List<MessageAttachment> attached = db.attachments().ofMessage(second.id());
            assertThat(attached).extracting(MessageAttachment::position, MessageAttachment::name, MessageAttachment::pages)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "copy.png", ""),
                            org.assertj.core.groups.Tuple.tuple(1, "paper.pdf", "1,3-4"));
            Attachment image = attached.getFirst().attachment();
            assertThat(image).isEqualTo(db.attachments().ofMessage(first.id()).getFirst().attachment());
            assertThat(image.sha256()).isEqualTo(AttachmentRepository.sha256(png)).hasSize(64);
            assertThat(image.width()).isEqualTo(640);
            assertThat(image.size()).isEqualTo(png.length);
            assertThat(attached.get(1).attachment().pages()).isEqualTo(12);
            assertThat(db.attachments().bytes(image.sha256())).isEqualTo(png);
        }
    }

    @Test
    void aLargeFileLivesBesideTheDatabase() throws Exception {
        byte[] scan = bytes(AttachmentRepository.INLINE_LIMIT + 1, 3);
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long id = db.conversations().create("Scan", "").id();
            Message message = db.messages().append(id, OptionalLong.empty(), Role.USER, "read this",
                    List.of(NewAttachment.image("scan.png", "image/png", scan, 4000, 3000)));
            String sha = db.attachments().ofMessage(message.id()).getFirst().attachment().sha256();
            Path file = dir.resolve("attachments").resolve(sha.substring(0, 2)).resolve(sha);
            assertThat(file).exists().hasBinaryContent(scan);
            assertThat(db.attachments().bytes(sha)).isEqualTo(scan);

            db.conversations().delete(id);
            assertThat(file).doesNotExist();
            assertThat(db.attachments().count()).isZero();
        }
    }

    @Test
    void deletingAConversationKeepsWhatOthersStillUse() {
        byte[] shared = bytes(1_000, 4);
        byte[] own = bytes(1_000, 5);
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long keep = db.conversations().create("Keep", "").id();
            long drop = db.conversations().create("Drop", "").id();
            db.messages().append(keep, OptionalLong.empty(), Role.USER, "one",
                    List.of(NewAttachment.image("a.png", "image/png", shared, 1, 1)));
            db.messages().append(drop, OptionalLong.empty(), Role.USER, "two",
                    List.of(NewAttachment.image("a.png", "image/png", shared, 1, 1), NewAttachment.image("b.png", "image/png", own, 1, 1)));

            assertThat(db.conversations().delete(drop)).isTrue();
            assertThat(db.conversations().delete(drop)).isFalse();
            assertThat(db.attachments().find(AttachmentRepository.sha256(shared))).isPresent();
            assertThat(db.attachments().find(AttachmentRepository.sha256(own))).isEmpty();
            assertThat(db.messages().ofConversation(keep)).hasSize(1);
        }
    }

    @Test
    void deletingAllHistoryLeavesNothing() throws Exception {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            for (int i = 0; i < 3; i++) {
                long id = db.conversations().create("Chat " + i, "").id();
                db.messages().append(id, OptionalLong.empty(), Role.USER, "look",
                        List.of(NewAttachment.image("big.png", "image/png", bytes(AttachmentRepository.INLINE_LIMIT + 10, 10 + i), 1, 1)));
            }
            db.conversations().deleteAll();
            assertThat(db.conversations().count()).isZero();
            assertThat(db.attachments().count()).isZero();
            assertThat(db.search().search("chat", 0, 10)).isEmpty();
        }
        try (Stream<Path> files = Files.walk(dir.resolve("attachments"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
