package dev.kestrel.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Conversations: create, find, list a page at a time, change their settings, delete. */
public final class ConversationRepository {

    private static final String COLUMNS =
            "id, title, model, system_prompt, think_budget, pinned, archived, created_at, updated_at";

    private final Database db;

    ConversationRepository(Database db) {
        this.db = db;
    }

    public Conversation create(String title, String model) {
        long now = db.clock().millis();
        long id = db.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO conversations (title, model, created_at, updated_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, title);
                insert.setString(2, model);
                insert.setLong(3, now);
                insert.setLong(4, now);
                insert.executeUpdate();
                return lastId(insert);
            }
        });
        return new Conversation(id, title, model, "", OptionalInt.empty(), false, false, Instant.ofEpochMilli(now),
                Instant.ofEpochMilli(now));
    }

    /**
     * Puts a whole conversation back, in one transaction: all of it lands or none. A message still
     * marked streaming comes back interrupted, as no process is writing it. Returns its new id.
     */
    public long restore(RestoredConversation restored) {
        List<RestoredConversation.Message> messages = restored.messages();
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).parent() >= i || messages.get(i).parent() < -1) {
                throw new IllegalArgumentException("message " + i + " names message " + messages.get(i).parent()
                        + " as its parent; a parent comes before its children");
            }
        }
        List<List<AttachmentRepository.Prepared>> files = messages.stream().map(m -> db.attachments().prepare(m.attachments())).toList();
        return db.transaction(connection -> {
            long id;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO conversations (title, model, system_prompt, think_budget, pinned, archived, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, restored.title());
                insert.setString(2, restored.model());
                insert.setString(3, restored.systemPrompt());
                if (restored.thinkBudget().isPresent()) {
                    insert.setInt(4, restored.thinkBudget().getAsInt());
                } else {
                    insert.setNull(4, Types.INTEGER);
                }
                insert.setBoolean(5, restored.pinned());
                insert.setBoolean(6, restored.archived());
                insert.setLong(7, restored.createdAt().toEpochMilli());
                insert.setLong(8, restored.updatedAt().toEpochMilli());
                insert.executeUpdate();
                id = lastId(insert);
            }
            long[] ids = new long[messages.size()];
            for (int i = 0; i < messages.size(); i++) {
                int parent = messages.get(i).parent();
                ids[i] = db.messages().restore(connection, id, parent < 0 ? OptionalLong.empty() : OptionalLong.of(ids[parent]),
                        messages.get(i), files.get(i));
            }
            return id;
        });
    }

    public Optional<Conversation> find(long id) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM conversations WHERE id = ?")) {
                query.setLong(1, id);
                ResultSet rows = query.executeQuery();
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        });
    }

    /** The first page of {@link #page}: pinned conversations, then the most recently active. */
    public List<Conversation> recent(int limit) {
        return page(false, 0, limit);
    }

    /**
     * One page of the conversations that are archived (or not): pinned ones first, then the most
     * recently active, newest first.
     */
    public List<Conversation> page(boolean archived, int offset, int limit) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM conversations"
                    + " WHERE archived = ? ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ? OFFSET ?")) {
                query.setBoolean(1, archived);
                query.setInt(2, limit);
                query.setInt(3, offset);
                ResultSet rows = query.executeQuery();
                List<Conversation> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(map(rows));
                }
                return result;
            }
        });
    }

    /** Every conversation's id, archived ones included, oldest first. */
    public List<Long> ids() {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT id FROM conversations ORDER BY id")) {
                ResultSet rows = query.executeQuery();
                List<Long> ids = new ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
                return ids;
            }
        });
    }

    public int count() {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM conversations")) {
                return query.executeQuery().getInt(1);
            }
        });
    }

    public void rename(long id, String title) {
        set(id, "title = ?, updated_at = ?", statement -> {
            statement.setString(1, title);
            statement.setLong(2, db.clock().millis());
        });
    }

    public void pin(long id, boolean pinned) {
        set(id, "pinned = ?", statement -> statement.setBoolean(1, pinned));
    }

    public void archive(long id, boolean archived) {
        set(id, "archived = ?", statement -> statement.setBoolean(1, archived));
    }

    public void setSystemPrompt(long id, String systemPrompt) {
        set(id, "system_prompt = ?", statement -> statement.setString(1, systemPrompt));
    }

    /** Empty: follow the app's setting; 0: no thinking; else tokens, or {@link Conversation#UNLIMITED}. */
    public void setThinkBudget(long id, OptionalInt budget) {
        if (budget.isPresent() && budget.getAsInt() < Conversation.UNLIMITED) {
            throw new IllegalArgumentException("a thinking budget is 0 or more tokens, or unlimited; not " + budget.getAsInt());
        }
        set(id, "think_budget = ?", statement -> {
            if (budget.isPresent()) {
                statement.setInt(1, budget.getAsInt());
            } else {
                statement.setNull(1, Types.INTEGER);
            }
        });
    }

    /**
     * Deletes a conversation with its messages, and the attachments no other conversation uses.
     * Returns whether it existed.
     */
    public boolean delete(long id) {
        List<String> unusedFiles = new ArrayList<>();
        int deleted = db.transaction(connection -> {
            int rows;
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM conversations WHERE id = ?")) {
                delete.setLong(1, id);
                rows = delete.executeUpdate();
            }
            unusedFiles.addAll(db.attachments().removeUnused());
            return rows;
        });
        db.attachments().deleteFiles(unusedFiles);
        return deleted == 1;
    }

    /** Deletes every conversation, message and attachment. */
    public void deleteAll() {
        List<String> unusedFiles = new ArrayList<>();
        db.transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM conversations")) {
                delete.executeUpdate();
            }
            unusedFiles.addAll(db.attachments().removeUnused());
            return null;
        });
        db.attachments().deleteFiles(unusedFiles);
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** UPDATE conversations SET {@code assignments} WHERE id = the last parameter. */
    private void set(long id, String assignments, Binder binder) {
        int changed = db.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE conversations SET " + assignments + " WHERE id = ?")) {
                binder.bind(update);
                update.setLong(update.getParameterMetaData().getParameterCount(), id);
                return update.executeUpdate();
            }
        });
        if (changed != 1) {
            throw new StorageException("conversation " + id + " is not in the history database " + db.file());
        }
    }

    static long lastId(PreparedStatement statement) throws SQLException {
        try (ResultSet keys = statement.getConnection().createStatement().executeQuery("SELECT last_insert_rowid()")) {
            return keys.getLong(1);
        }
    }

    private static Conversation map(ResultSet row) throws SQLException {
        int budget = row.getInt("think_budget");
        OptionalInt thinkBudget = row.wasNull() ? OptionalInt.empty() : OptionalInt.of(budget);
        return new Conversation(row.getLong("id"), row.getString("title"), row.getString("model"),
                row.getString("system_prompt"), thinkBudget, row.getBoolean("pinned"), row.getBoolean("archived"),
                Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("updated_at")));
    }
}
