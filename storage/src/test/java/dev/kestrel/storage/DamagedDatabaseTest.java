package dev.kestrel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged history file is kept under another name, never deleted, and Kestrel starts a new one. */
class DamagedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatIsNotADatabaseIsMovedAsideWhole() throws Exception {
        Path file = dir.resolve("kestrel.db");
        byte[] garbage = "this was never a database, but it is someone's file".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(file, garbage);

        try (Database db = Database.open(file)) {
            Path aside = db.damagedCopy().orElseThrow();
            assertThat(aside.getFileName().toString()).startsWith("kestrel.db.damaged-");
            assertThat(aside).hasBinaryContent(garbage);
            assertThat(db.schemaVersion()).isEqualTo(Database.MIGRATIONS.size());
            long id = db.conversations().create("Fresh start", "").id();
            db.messages().append(id, OptionalLong.empty(), Role.USER, "still works");
        }
        try (Database db = Database.open(file)) {
            assertThat(db.damagedCopy()).isEmpty();
            assertThat(db.conversations().recent(10)).extracting(Conversation::title).containsExactly("Fresh start");
        }
    }

    @Test
    void aDatabaseWithADamagedHeaderIsKeptWithItsCompanions() throws Exception {
        Path file = dir.resolve("kestrel.db");
        try (Database db = Database.open(file)) {
            db.conversations().create("Precious", "");
        }
        long size = Files.size(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.write("Not SQLite at all".getBytes(StandardCharsets.US_ASCII));
        }

        try (Database db = Database.open(file)) {
            Path aside = db.damagedCopy().orElseThrow();
            assertThat(Files.size(aside)).isEqualTo(size);
            assertThat(db.conversations().count()).isZero();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".damaged-"))).isNotEmpty();
        }
    }

    @Test
    void aHealthyDatabaseIsNeverMoved() {
        Path file = dir.resolve("kestrel.db");
        try (Database db = Database.open(file)) {
            assertThat(db.damagedCopy()).isEmpty();
        }
        try (Database db = Database.open(file)) {
            assertThat(db.damagedCopy()).isEmpty();
        }
    }
}
