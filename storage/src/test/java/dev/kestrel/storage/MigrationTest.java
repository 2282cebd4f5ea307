package dev.kestrel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database written at every earlier schema version opens at the latest with nothing lost. */
class MigrationTest {

    @TempDir
    Path dir;

    @Test
    void version1HistoryKeepsEverythingAndBecomesSearchable() throws Exception {
        Path file = dir.resolve("kestrel.db");
        try (Database v1 = Database.open(file, java.time.Clock.systemUTC(), Database.MIGRATIONS.subList(0, 1))) {
            assertThat(v1.schemaVersion()).isEqualTo(1);
        }
        // Rows as Kestrel 0.1 wrote them, the reply left streaming by a process that is gone.
        long chat = 7;
        long crashed = 12;
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = raw.createStatement()) {
            statement.executeUpdate("INSERT INTO conversations (id, title, model, created_at, updated_at)"
                    + " VALUES (7, 'Falcons', 'demo', 1000, 2000)");
            statement.executeUpdate("INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at, updated_at)"
                    + " VALUES (11, 7, NULL, 'user', 'How fast is a peregrine?', 'complete', 1000, 1000)");
            statement.executeUpdate("INSERT INTO messages (id, conversation_id, parent_id, role, content, status, model, writer,"
                    + " created_at, updated_at) VALUES (12, 7, 11, 'assistant', 'Over three hundred km/h in a dive', 'streaming',"
                    + " 'demo', '2147483646@1', 1500, 2000)");
        }

        try (Database db = Database.open(file)) {
            assertThat(db.schemaVersion()).isEqualTo(Database.MIGRATIONS.size());
            Conversation falcons = db.conversations().find(chat).orElseThrow();
            assertThat(falcons.title()).isEqualTo("Falcons");
            assertThat(falcons.pinned()).isFalse();
            assertThat(falcons.thinkBudget()).isEmpty();
            assertThat(db.messages().ofConversation(chat)).extracting(Message::content, Message::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("How fast is a peregrine?", MessageStatus.COMPLETE),
                            org.assertj.core.groups.Tuple.tuple("Over three hundred km/h in a dive", MessageStatus.INTERRUPTED));
            assertThat(db.search().search("peregrine", 0, 10)).hasSize(1);
            assertThat(db.search().search("falcons", 0, 10)).extracting(SearchHit::messageId).containsExactly(OptionalLong.empty());
            // The reply the crash left behind is searchable once recovery has marked it interrupted.
            assertThat(db.search().search("dive", 0, 10)).extracting(SearchHit::messageId).containsExactly(OptionalLong.of(crashed));
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> backups = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bak")).toList();
            assertThat(backups).singleElement().asString().startsWith("kestrel.db.v1-");
        }
    }
}
