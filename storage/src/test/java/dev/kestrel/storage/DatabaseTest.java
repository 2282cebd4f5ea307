package dev.kestrel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void aNewFileGetsTheLatestSchemaInWalModeWithForeignKeys() throws SQLException {
        Path file = dir.resolve("nested/folder/kestrel.db");
        try (Database db = Database.open(file)) {
            assertThat(db.schemaVersion()).isEqualTo(Database.MIGRATIONS.size());
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = raw.createStatement()) {
            assertThat(statement.executeQuery("PRAGMA journal_mode").getString(1)).isEqualTo("wal");
        }
        try (Database db = Database.open(file)) {
            assertThatThrownBy(() -> db.messages().append(12345, java.util.OptionalLong.empty(), Role.USER, "orphan"))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("FOREIGN KEY");
        }
    }

    @Test
    void dataSurvivesReopening() {
        Path file = dir.resolve("kestrel.db");
        long id;
        try (Database db = Database.open(file)) {
            id = db.conversations().create("First", "tiny-decoder").id();
        }
        try (Database db = Database.open(file)) {
            assertThat(db.conversations().find(id)).map(Conversation::title).contains("First");
        }
    }

    @Test
    void upgradingCopiesTheFileFirstAndAppliesEachVersionInOrder() throws SQLException {
        Path file = dir.resolve("kestrel.db");
        Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:15:30Z"), ZoneOffset.UTC);
        long id;
        try (Database db = Database.open(file, clock, List.of("V1__conversations_and_messages.sql"))) {
            id = db.conversations().create("Before the upgrade", "").id();
        }
        List<String> twoVersions = List.of("V1__conversations_and_messages.sql", "V2__test_only_pinned.sql");
        try (Database db = Database.open(file, clock, twoVersions)) {
            assertThat(db.schemaVersion()).isEqualTo(2);
            db.conversations().rename(id, "After");
        }
        Path backup = dir.resolve("kestrel.db.v1-20261121-101530.bak");
        assertThat(backup).exists();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + backup); Statement statement = raw.createStatement()) {
            assertThat(statement.executeQuery("PRAGMA user_version").getInt(1)).isEqualTo(1);
            assertThat(statement.executeQuery("SELECT title FROM conversations").getString(1)).isEqualTo("Before the upgrade");
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = raw.createStatement()) {
            assertThat(statement.executeQuery("SELECT note FROM audit").getString(1)).isEqualTo("renamed; to After");
            assertThat(statement.executeQuery("SELECT pinned FROM conversations").getInt(1)).isZero();
        }
    }

    @Test
    void aFailedMigrationLeavesTheFileAtItsPreviousVersion() throws SQLException {
        Path file = dir.resolve("kestrel.db");
        try (Database db = Database.open(file, Clock.systemUTC(), List.of("V1__conversations_and_messages.sql"))) {
            db.conversations().create("Kept", "");
        }
        assertThatThrownBy(() -> Database.open(file, Clock.systemUTC(),
                List.of("V1__conversations_and_messages.sql", "V2__test_only_pinned.sql", "V3__missing.sql")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("V3__missing.sql");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = raw.createStatement()) {
            assertThat(statement.executeQuery("PRAGMA user_version").getInt(1)).isEqualTo(2);
            assertThat(statement.executeQuery("SELECT title FROM conversations").getString(1)).isEqualTo("Kept");
        }
    }

    @Test
    void aFileFromANewerKestrelIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("kestrel.db");
        try (Database db = Database.open(file)) {
            db.conversations().create("From the future", "");
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = raw.createStatement()) {
            statement.executeUpdate("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> Database.open(file))
                .isInstanceOf(StorageException.class)
                .hasMessage("the history database " + file + " was written by a newer Kestrel (schema 99; this one knows up to "
                        + Database.MIGRATIONS.size() + "); update Kestrel to open it");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".bak"))).isEmpty();
        }
    }
}
