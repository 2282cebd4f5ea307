package dev.kestrel.storage;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Attachments, stored once by their SHA-256 however many messages use them. Files up to
 * {@value #INLINE_LIMIT} bytes live in the database; larger ones under {@code attachments/} beside
 * it, named by their hash, so the database stays quick to copy and to back up before migrations.
 * An attachment no message uses any more is removed with the last conversation that used it.
 */
public final class AttachmentRepository {

    static final int INLINE_LIMIT = 1 << 20;
    private static final System.Logger LOG = System.getLogger(AttachmentRepository.class.getName());

    private final Database db;

    AttachmentRepository(Database db) {
        this.db = db;
    }

    public Optional<Attachment> find(String sha256) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT sha256, mime_type, size, width, height, pages FROM attachments WHERE sha256 = ?")) {
                query.setString(1, sha256);
                ResultSet rows = query.executeQuery();
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        });
    }

    /** A message's attachments in the order they were attached. */
    public List<MessageAttachment> ofMessage(long messageId) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT a.sha256, a.mime_type, a.size, a.width, a.height, a.pages, l.position, l.name, l.pages AS chosen"
                            + " FROM message_attachments l JOIN attachments a ON a.sha256 = l.sha256"
                            + " WHERE l.message_id = ? ORDER BY l.position")) {
                query.setLong(1, messageId);
                ResultSet rows = query.executeQuery();
                List<MessageAttachment> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(new MessageAttachment(map(rows), rows.getInt("position"), rows.getString("name"),
                            rows.getString("chosen")));
                }
                return result;
            }
        });
    }

    /** The attachment's bytes, from the database or from its file. */
    public byte[] bytes(String sha256) {
        record Stored(byte[] data, String path) {}
        Stored stored = db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT data, path FROM attachments WHERE sha256 = ?")) {
                query.setString(1, sha256);
                ResultSet rows = query.executeQuery();
                if (!rows.next()) {
                    throw new StorageException("attachment " + sha256 + " is not in the history database " + db.file());
                }
                return new Stored(rows.getBytes("data"), rows.getString("path"));
            }
        });
        if (stored.data() != null) {
            return stored.data();
        }
        Path file = folder().resolve(stored.path());
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StorageException("cannot read attachment " + file + ": " + e.getMessage(), e);
        }
    }

    /** The number of distinct attachments stored. */
    public int count() {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM attachments")) {
                return query.executeQuery().getInt(1);
            }
        });
    }

    /** The lower-case hex SHA-256 that names an attachment. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A file ready for its rows: hashed once, and written beside the database when it is large. */
    record Prepared(NewAttachment file, String sha256) {}

    /**
     * Hashes each file and writes the large ones (named by their hash, so writing one twice is
     * harmless), before the transaction that adds the rows using them.
     */
    List<Prepared> prepare(List<NewAttachment> files) {
        return files.stream().map(this::prepare).toList();
    }

    private Prepared prepare(NewAttachment file) {
        Prepared prepared = new Prepared(file, sha256(file.bytes()));
        if (file.bytes().length <= INLINE_LIMIT) {
            return prepared;
        }
        Path target = folder().resolve(relativePath(prepared.sha256()));
        if (Files.exists(target)) {
            return prepared;
        }
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
            Files.write(partial, file.bytes());
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StorageException("cannot store attachment '" + file.name() + "' in " + target.getParent() + ": " + e.getMessage(), e);
        }
        return prepared;
    }

    /** Inside the caller's transaction: the attachment's row (if new) and its link to the message. */
    void insert(long messageId, int position, Prepared prepared) throws SQLException {
        NewAttachment file = prepared.file();
        String sha = prepared.sha256();
        boolean inline = file.bytes().length <= INLINE_LIMIT;
        try (PreparedStatement insert = db.connection().prepareStatement(
                "INSERT INTO attachments (sha256, mime_type, size, width, height, pages, data, path, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING")) {
            insert.setString(1, sha);
            insert.setString(2, file.mimeType());
            insert.setLong(3, file.bytes().length);
            insert.setInt(4, file.width());
            insert.setInt(5, file.height());
            insert.setInt(6, file.pages());
            if (inline) {
                insert.setBytes(7, file.bytes());
                insert.setNull(8, Types.VARCHAR);
            } else {
                insert.setNull(7, Types.BLOB);
                insert.setString(8, relativePath(sha));
            }
            insert.setLong(9, db.clock().millis());
            insert.executeUpdate();
        }
        try (PreparedStatement link = db.connection().prepareStatement(
                "INSERT INTO message_attachments (message_id, position, sha256, name, pages) VALUES (?, ?, ?, ?, ?)")) {
            link.setLong(1, messageId);
            link.setInt(2, position);
            link.setString(3, sha);
            link.setString(4, file.name());
            link.setString(5, file.chosenPages());
            link.executeUpdate();
        }
    }

    /** Inside the caller's transaction: removes the attachments no message uses; returns the files to delete after it commits. */
    List<String> removeUnused() throws SQLException {
        List<String> files = new ArrayList<>();
        String unused = "NOT EXISTS (SELECT 1 FROM message_attachments l WHERE l.sha256 = attachments.sha256)";
        try (PreparedStatement query = db.connection().prepareStatement(
                "SELECT path FROM attachments WHERE path IS NOT NULL AND " + unused)) {
            ResultSet rows = query.executeQuery();
            while (rows.next()) {
                files.add(rows.getString(1));
            }
        }
        try (PreparedStatement delete = db.connection().prepareStatement("DELETE FROM attachments WHERE " + unused)) {
            delete.executeUpdate();
        }
        return files;
    }

    /** Deletes the files of removed attachments; one that cannot be deleted is only logged, as nothing refers to it. */
    void deleteFiles(List<String> files) {
        for (String path : files) {
            try {
                Files.deleteIfExists(folder().resolve(path));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete the unused attachment " + path + ": " + e.getMessage());
            }
        }
    }

    private Path folder() {
        return db.file().getParent();
    }

    private static String relativePath(String sha) {
        return "attachments/" + sha.substring(0, 2) + "/" + sha;
    }

    private static Attachment map(ResultSet row) throws SQLException {
        return new Attachment(row.getString("sha256"), row.getString("mime_type"), row.getLong("size"), row.getInt("width"),
                row.getInt("height"), row.getInt("pages"));
    }
}
