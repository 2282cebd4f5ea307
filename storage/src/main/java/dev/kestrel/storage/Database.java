package dev.kestrel.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Kestrel's history: one SQLite file in WAL mode with foreign keys on. Opening it brings the schema
 * up to date, each version in its own transaction after a copy of the file is taken, and refuses a
 * file written by a newer Kestrel. Every access goes through one connection under one lock, so
 * there is exactly one writer.
 */
public final class Database implements AutoCloseable {

    /** Schema versions in order; version N is the N-th script. */
    static final List<String> MIGRATIONS = List.of("V1__conversations_and_messages.sql");

    private static final System.Logger LOG = System.getLogger(Database.class.getName());

    private final Path file;
    private final Connection connection;
    private final Clock clock;
    private final List<String> migrations;
    private final ConversationRepository conversations;
    private final MessageRepository messages;

    private Database(Path file, Connection connection, Clock clock, List<String> migrations) {
        this.file = file;
        this.connection = connection;
        this.clock = clock;
        this.migrations = migrations;
        this.conversations = new ConversationRepository(this);
        this.messages = new MessageRepository(this);
    }

    public static Database open(Path file) {
        return open(file, Clock.systemUTC());
    }

    public static Database open(Path file, Clock clock) {
        return open(file, clock, MIGRATIONS);
    }

    static Database open(Path file, Clock clock, List<String> migrations) {
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new StorageException("cannot create the folder for the history database " + absolute + ": " + e.getMessage(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(5_000);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + absolute, config.toProperties());
        } catch (SQLException e) {
            throw new StorageException("cannot open the history database " + absolute + ": " + e.getMessage(), e);
        }
        Database database = new Database(absolute, connection, clock, migrations);
        try {
            database.migrate();
            database.messages.interruptAbandonedReplies();
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public ConversationRepository conversations() {
        return conversations;
    }

    public MessageRepository messages() {
        return messages;
    }

    public synchronized int schemaVersion() {
        try (Statement statement = connection.createStatement()) {
            return statement.executeQuery("PRAGMA user_version").getInt(1);
        } catch (SQLException e) {
            throw failure("read the schema version of", e);
        }
    }

    private int latestVersion() {
        return migrations.size();
    }

    private synchronized void migrate() {
        int version = schemaVersion();
        if (version > latestVersion()) {
            throw new StorageException("the history database " + file + " was written by a newer Kestrel (schema "
                    + version + "; this one knows up to " + latestVersion() + "); update Kestrel to open it");
        }
        if (version < latestVersion() && version > 0) {
            backUpBeforeMigration(version);
        }
        for (int next = version + 1; next <= latestVersion(); next++) {
            String script = migrations.get(next - 1);
            transaction(() -> {
                try (Statement statement = connection.createStatement()) {
                    for (String sql : SqlScript.statements(readScript(script))) {
                        statement.executeUpdate(sql);
                    }
                }
                return null;
            });
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("PRAGMA user_version = " + next);
            } catch (SQLException e) {
                throw failure("record schema version " + next + " in", e);
            }
            LOG.log(System.Logger.Level.INFO, "history database {0} is now at schema version {1}", file, next);
        }
    }

    private void backUpBeforeMigration(int version) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
        Path backup = file.resolveSibling(file.getFileName() + ".v" + version + "-" + stamp + ".bak");
        try (Statement statement = connection.createStatement()) {
            // VACUUM INTO writes a consistent copy even while the WAL holds recent commits.
            statement.executeUpdate("VACUUM INTO '" + backup.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw failure("copy " + backup + " from", e);
        }
    }

    private static String readScript(String name) {
        try (InputStream in = Database.class.getResourceAsStream("migrations/" + name)) {
            if (in == null) {
                throw new StorageException("the migration " + name + " is missing from Kestrel's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot read the migration " + name + ": " + e.getMessage(), e);
        }
    }

    Clock clock() {
        return clock;
    }

    interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} on the one connection, alone. */
    synchronized <T> T read(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** Runs {@code work} in one transaction on the one connection: all of it lands, or none. */
    synchronized <T> T transaction(Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("write to", e);
        }
    }

    Connection connection() {
        return connection;
    }

    private StorageException failure(String action, SQLException e) {
        return new StorageException("cannot " + action + " the history database " + file + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
