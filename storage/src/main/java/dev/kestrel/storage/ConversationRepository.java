package dev.kestrel.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Conversations: create, find, list newest first, rename. */
public final class ConversationRepository {

    private final Database db;

    ConversationRepository(Database db) {
        this.db = db;
    }

    public Conversation create(String title, String model) {
        long now = db.clock().millis();
        long id = db.transaction(() -> {
            try (PreparedStatement insert = db.connection().prepareStatement(
                    "INSERT INTO conversations (title, model, created_at, updated_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, title);
                insert.setString(2, model);
                insert.setLong(3, now);
                insert.setLong(4, now);
                insert.executeUpdate();
                return lastId(insert);
            }
        });
        return new Conversation(id, title, model, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now));
    }

    public Optional<Conversation> find(long id) {
        return db.read(() -> {
            try (PreparedStatement query = db.connection().prepareStatement(
                    "SELECT id, title, model, created_at, updated_at FROM conversations WHERE id = ?")) {
                query.setLong(1, id);
                ResultSet rows = query.executeQuery();
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        });
    }

    /** The most recently active conversations first. */
    public List<Conversation> recent(int limit) {
        return db.read(() -> {
            try (PreparedStatement query = db.connection().prepareStatement(
                    "SELECT id, title, model, created_at, updated_at FROM conversations"
                            + " ORDER BY updated_at DESC, id DESC LIMIT ?")) {
                query.setInt(1, limit);
                ResultSet rows = query.executeQuery();
                List<Conversation> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(map(rows));
                }
                return result;
            }
        });
    }

    public void rename(long id, String title) {
        db.transaction(() -> {
            try (PreparedStatement update = db.connection().prepareStatement(
                    "UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?")) {
                update.setString(1, title);
                update.setLong(2, db.clock().millis());
                update.setLong(3, id);
                return update.executeUpdate();
            }
        });
    }

    static long lastId(PreparedStatement statement) throws SQLException {
        try (ResultSet keys = statement.getConnection().createStatement().executeQuery("SELECT last_insert_rowid()")) {
            return keys.getLong(1);
        }
    }

    private static Conversation map(ResultSet row) throws SQLException {
        return new Conversation(row.getLong("id"), row.getString("title"), row.getString("model"),
                Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("updated_at")));
    }
}
