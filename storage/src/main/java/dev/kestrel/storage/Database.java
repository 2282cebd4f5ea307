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
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Kestrel's history: one SQLite file in WAL mode with foreign keys on. Opening it brings the schema
 * up to date, each version in its own transaction after a copy of the file is taken, and refuses a
 * file written by a newer Kestrel. A file SQLite finds damaged is moved aside, never deleted, and a new
 * one started ({@link #damagedCopy}). Writes go through one connection under one lock, so there is
 * exactly one writer; reads use a second connection, so they never wait for it.
 */
public final class Database implements AutoCloseable {

    /** Schema versions in order; version N is the N-th script. */
    static final List<String> MIGRATIONS =
            List.of("V1__conversations_and_messages.sql", "V2__settings_attachments_search.sql");

    private static final System.Logger LOG = System.getLogger(Database.class.getName());

    private final Path file;
    private final Optional<Path> damagedCopy;
    private final Object readLock = new Object();
    private Connection reader;
    private final Connection connection;
    private final Clock clock;
    private final List<String> migrations;
    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final AttachmentRepository attachments;
    private final HistorySearch search;
    private final SettingsRepository settings;

    private Database(Path file, Connection connection, Clock clock, List<String> migrations, Optional<Path> damagedCopy) {
        this.file = file;
        this.damagedCopy = damagedCopy;
        this.connection = connection;
        this.clock = clock;
        this.migrations = migrations;
        this.conversations = new ConversationRepository(this);
        this.messages = new MessageRepository(this);
        this.attachments = new AttachmentRepository(this);
        this.search = new HistorySearch(this);
        this.settings = new SettingsRepository(this);
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
        try {
            return connect(absolute, clock, migrations, Optional.empty());
        } catch (StorageException e) {
            if (!isDamage(e)) {
                throw e;
            }
            Path aside = moveAside(absolute, clock);
            LOG.log(System.Logger.Level.ERROR, "the history database " + absolute + " is damaged; moved it to " + aside, e);
            return connect(absolute, clock, migrations, Optional.of(aside));
        }
    }

    private static Database connect(Path file, Clock clock, List<String> migrations, Optional<Path> damagedCopy) {
        Connection connection = open(file, false);
        Database database = new Database(file, connection, clock, migrations, damagedCopy);
        try {
            database.migrate();
            database.reader = open(file, true);
            database.messages.interruptAbandonedReplies();
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** A connection to the file: the one writer, or a reader that refuses to write. */
    private static Connection open(Path file, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(5_000);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
            if (readOnly) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA query_only = 1");
                }
            }
            return connection;
        } catch (SQLException e) {
            throw new StorageException("cannot open the history database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether SQLite says the file is not a database or is corrupt (rather than busy, read-only or full). */
    private static boolean isDamage(StorageException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException sqlite) {
                int primary = sqlite.getResultCode().code & 0xff;
                return primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code;
            }
        }
        return false;
    }

    /** Moves a damaged database, with its WAL and shared-memory files, aside under a new name; nothing is deleted. */
    private static Path moveAside(Path file, Clock clock) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + stamp);
        try {
            for (int n = 2; Files.exists(aside); n++) {
                aside = file.resolveSibling(file.getFileName() + ".damaged-" + stamp + "-" + n);
            }
            for (String suffix : List.of("-wal", "-shm")) {
                Path companion = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(companion)) {
                    Files.move(companion, aside.resolveSibling(aside.getFileName() + suffix));
                }
            }
            Files.move(file, aside);
            return aside;
        } catch (IOException e) {
            throw new StorageException("the history database " + file + " is damaged and could not be moved aside to "
                    + aside + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where the damaged database found at opening was moved, when it was: the app should tell the
     * user that history starts afresh and where the old file is kept.
     */
    public Optional<Path> damagedCopy() {
        return damagedCopy;
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

    public AttachmentRepository attachments() {
        return attachments;
    }

    public HistorySearch search() {
        return search;
    }

    public SettingsRepository settings() {
        return settings;
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
            transaction(writer -> {
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
        copyTo(file.resolveSibling(file.getFileName() + ".v" + version + "-" + stamp + ".bak"));
    }

    /** Writes a consistent copy of the whole history to {@code target}, which must not exist yet; this one stays open. */
    public synchronized void copyTo(Path target) {
        try (Statement statement = connection.createStatement()) {
            // VACUUM INTO writes a consistent copy even while the WAL holds recent commits.
            statement.executeUpdate("VACUUM INTO '" + target.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw failure("copy " + target + " from", e);
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
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on the reading connection, alone among readers. Readers see the last
     * committed state (WAL) and never wait for the writer, so a search does not hold up a reply
     * that is streaming into the history.
     */
    <T> T read(Work<T> work) {
        synchronized (readLock) {
            try {
                return work.run(reader);
            } catch (SQLException e) {
                throw failure("read", e);
            }
        }
    }

    /** Runs {@code work} in one transaction on the writing connection: all of it lands, or none. */
    synchronized <T> T transaction(Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
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

    /** The writing connection, for helpers that run inside {@link #transaction}. */
    Connection connection() {
        return connection;
    }

    private StorageException failure(String action, SQLException e) {
        return new StorageException("cannot " + action + " the history database " + file + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            synchronized (readLock) {
                if (reader != null) {
                    reader.close();
                }
            }
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
