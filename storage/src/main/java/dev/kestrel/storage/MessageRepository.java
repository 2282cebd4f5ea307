package dev.kestrel.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Messages of conversations. A reply is written as it streams: {@link #startReply} creates its row,
 * {@link #updateReply} grows it, {@link #finishReply} gives its final text and status.
 */
public final class MessageRepository {

    private static final String COLUMNS = "id, conversation_id, parent_id, role, content, thinking, status, model,"
            + " temperature, top_p, top_k, min_p, repetition_penalty, seed, prompt_tokens, image_tokens, thinking_tokens, completion_tokens, ttft_ms,"
            + " duration_ms, device, created_at, updated_at";
    /** COLUMNS of the messages table as {@code m}, for queries that join it. */
    private static final String BRANCH_COLUMNS = COLUMNS.replaceAll("(\\w+)", "m.$1");

    private final Database db;

    MessageRepository(Database db) {
        this.db = db;
    }

    /** A complete message (the user's, or a system prompt) at the end of a conversation. */
    public Message append(long conversationId, OptionalLong parentId, Role role, String content) {
        return append(conversationId, parentId, role, content, List.of());
    }

    /** A complete message with attachments, all stored in one transaction. */
    public Message append(long conversationId, OptionalLong parentId, Role role, String content, List<NewAttachment> attachments) {
        return insert(conversationId, parentId, role, content, MessageStatus.COMPLETE, "", SamplingSettings.GREEDY,
                db.attachments().prepare(attachments));
    }

    /** An empty assistant reply, status streaming, owned by this process until finished. */
    public Message startReply(long conversationId, long parentId, String model, SamplingSettings sampling) {
        return insert(conversationId, OptionalLong.of(parentId), Role.ASSISTANT, "", MessageStatus.STREAMING, model, sampling,
                List.of());
    }

    public void updateReply(long id, String content, String thinking) {
        update(id, content, thinking, MessageStatus.STREAMING, ReplyMetrics.NONE);
    }

    public void finishReply(long id, String content, String thinking, MessageStatus status, ReplyMetrics metrics) {
        if (status == MessageStatus.STREAMING) {
            throw new IllegalArgumentException("a finished reply cannot still be streaming");
        }
        update(id, content, thinking, status, metrics);
    }

    /**
     * Inside {@link ConversationRepository#restore}'s transaction: one message as it was, its files
     * already prepared. A message that was streaming comes back interrupted, as no process writes it.
     */
    long restore(Connection connection, long conversationId, OptionalLong parentId, RestoredConversation.Message m,
            List<AttachmentRepository.Prepared> attachments) throws SQLException {
        MessageStatus status = m.status() == MessageStatus.STREAMING ? MessageStatus.INTERRUPTED : m.status();
        return insertRow(connection, new Message(0, conversationId, parentId, m.role(), m.content(), m.thinking(), status, m.model(),
                m.sampling(), m.metrics(), m.createdAt(), m.updatedAt()), "", attachments);
    }

    /** The messages that follow {@code id}: one, or several when it was regenerated or edited (branches), oldest first. */
    public List<Message> children(long id) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM messages WHERE parent_id = ? ORDER BY id")) {
                query.setLong(1, id);
                return list(query.executeQuery());
            }
        });
    }

    /** The branch ending at {@code id}: its first message, then each next one, up to {@code id}. */
    public List<Message> thread(long id) {
        return branch("?", id);
    }

    /**
     * The branch ending at the conversation's newest message: what follows its latest regenerated
     * reply or edited question. Empty for a conversation without messages.
     */
    public List<Message> latestBranch(long conversationId) {
        return branch("(SELECT max(id) FROM messages WHERE conversation_id = ?)", conversationId);
    }

    /** The messages from the root down to the one {@code start} (SQL with one parameter, {@code value}) selects. */
    private List<Message> branch(String start, long value) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "WITH RECURSIVE up (id, depth) AS (SELECT " + start + ", 0 UNION ALL"
                            + " SELECT m.parent_id, up.depth + 1 FROM messages m JOIN up ON m.id = up.id WHERE m.parent_id IS NOT NULL)"
                            + " SELECT " + BRANCH_COLUMNS + " FROM up JOIN messages m ON m.id = up.id ORDER BY up.depth DESC")) {
                query.setLong(1, value);
                return list(query.executeQuery());
            }
        });
    }

    public Optional<Message> find(long id) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM messages WHERE id = ?")) {
                query.setLong(1, id);
                ResultSet rows = query.executeQuery();
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        });
    }

    /** A conversation's messages in the order they were written. */
    public List<Message> ofConversation(long conversationId) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ? ORDER BY id")) {
                query.setLong(1, conversationId);
                return list(query.executeQuery());
            }
        });
    }

    private static List<Message> list(ResultSet rows) throws SQLException {
        List<Message> result = new ArrayList<>();
        while (rows.next()) {
            result.add(map(rows));
        }
        return result;
    }

    /**
     * Replies left streaming by a process that is gone (crashed, killed) become interrupted, their
     * text kept. Replies a live process is still writing are left alone.
     */
    int interruptAbandonedReplies() {
        return db.transaction(connection -> {
            List<Long> abandoned = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, writer FROM messages WHERE status = 'streaming'")) {
                ResultSet rows = query.executeQuery();
                while (rows.next()) {
                    if (!Writer.isAlive(rows.getString("writer"))) {
                        abandoned.add(rows.getLong("id"));
                    }
                }
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE messages SET status = 'interrupted' WHERE id = ?")) {
                for (long id : abandoned) {
                    update.setLong(1, id);
                    update.executeUpdate();
                }
            }
            return abandoned.size();
        });
    }

    private Message insert(long conversationId, OptionalLong parentId, Role role, String content, MessageStatus status,
            String model, SamplingSettings sampling, List<AttachmentRepository.Prepared> attachments) {
        Instant now = Instant.ofEpochMilli(db.clock().millis());
        Message row = new Message(0, conversationId, parentId, role, content, "", status, model, sampling, ReplyMetrics.NONE, now, now);
        long id = db.transaction(connection -> {
            long messageId = insertRow(connection, row, status == MessageStatus.STREAMING ? Writer.current() : "", attachments);
            touch(conversationId, now.toEpochMilli());
            return messageId;
        });
        return new Message(id, conversationId, parentId, role, content, "", status, model, sampling, ReplyMetrics.NONE, now, now);
    }

    /** Inside a transaction: the row of {@code m} (its id is ignored) with its attachments; returns the new id. */
    private long insertRow(Connection connection, Message m, String writer, List<AttachmentRepository.Prepared> attachments)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO messages (conversation_id, parent_id, role, content, thinking, status, model, writer, created_at,"
                        + " updated_at, temperature, top_p, top_k, min_p, repetition_penalty, seed, prompt_tokens, image_tokens,"
                        + " thinking_tokens, completion_tokens, ttft_ms, duration_ms, device)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, m.conversationId());
            if (m.parentId().isPresent()) {
                insert.setLong(2, m.parentId().getAsLong());
            } else {
                insert.setNull(2, java.sql.Types.INTEGER);
            }
            insert.setString(3, m.role().sql());
            insert.setString(4, m.content());
            insert.setString(5, m.thinking());
            insert.setString(6, m.status().sql());
            insert.setString(7, m.model());
            insert.setString(8, writer);
            insert.setLong(9, m.createdAt().toEpochMilli());
            insert.setLong(10, m.updatedAt().toEpochMilli());
            insert.setDouble(11, m.sampling().temperature());
            insert.setDouble(12, m.sampling().topP());
            insert.setInt(13, m.sampling().topK());
            insert.setDouble(14, m.sampling().minP());
            insert.setDouble(15, m.sampling().repetitionPenalty());
            insert.setLong(16, m.sampling().seed());
            insert.setInt(17, m.metrics().promptTokens());
            insert.setInt(18, m.metrics().imageTokens());
            insert.setInt(19, m.metrics().thinkingTokens());
            insert.setInt(20, m.metrics().completionTokens());
            insert.setLong(21, m.metrics().timeToFirstTokenMillis());
            insert.setLong(22, m.metrics().durationMillis());
            insert.setString(23, m.metrics().device());
            insert.executeUpdate();
            long id = ConversationRepository.lastId(insert);
            for (int i = 0; i < attachments.size(); i++) {
                db.attachments().insert(id, i, attachments.get(i));
            }
            return id;
        }
    }

    private void update(long id, String content, String thinking, MessageStatus status, ReplyMetrics metrics) {
        long now = db.clock().millis();
        int changed = db.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE messages SET content = ?, thinking = ?, status = ?, updated_at = ?, prompt_tokens = ?,"
                            + " image_tokens = ?, thinking_tokens = ?, completion_tokens = ?, ttft_ms = ?, duration_ms = ?,"
                            + " device = ? WHERE id = ?")) {
                update.setString(1, content);
                update.setString(2, thinking);
                update.setString(3, status.sql());
                update.setLong(4, now);
                update.setInt(5, metrics.promptTokens());
                update.setInt(6, metrics.imageTokens());
                update.setInt(7, metrics.thinkingTokens());
                update.setInt(8, metrics.completionTokens());
                update.setLong(9, metrics.timeToFirstTokenMillis());
                update.setLong(10, metrics.durationMillis());
                update.setString(11, metrics.device());
                update.setLong(12, id);
                return update.executeUpdate();
            }
        });
        if (changed != 1) {
            throw new StorageException("message " + id + " is not in the history database " + db.file());
        }
    }

    private void touch(long conversationId, long now) throws SQLException {
        try (PreparedStatement update = db.connection().prepareStatement("UPDATE conversations SET updated_at = ? WHERE id = ?")) {
            update.setLong(1, now);
            update.setLong(2, conversationId);
            update.executeUpdate();
        }
    }

    private static Message map(ResultSet row) throws SQLException {
        long parent = row.getLong("parent_id");
        OptionalLong parentId = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(parent);
        return new Message(row.getLong("id"), row.getLong("conversation_id"), parentId, Role.fromSql(row.getString("role")),
                row.getString("content"), row.getString("thinking"), MessageStatus.fromSql(row.getString("status")),
                row.getString("model"),
                new SamplingSettings(row.getDouble("temperature"), row.getDouble("top_p"), row.getInt("top_k"), row.getDouble("min_p"),
                        row.getDouble("repetition_penalty"), row.getLong("seed")),
                new ReplyMetrics(row.getInt("prompt_tokens"), row.getInt("image_tokens"), row.getInt("thinking_tokens"),
                        row.getInt("completion_tokens"), row.getLong("ttft_ms"), row.getLong("duration_ms"), row.getString("device")),
                Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("updated_at")));
    }

    /** Identifies the writing process as "pid@start-millis", so a reused pid is not mistaken for it. */
    static final class Writer {
        private Writer() {}

        static String current() {
            return describe(ProcessHandle.current());
        }

        static boolean isAlive(String writer) {
            int at = writer.indexOf('@');
            if (at <= 0) {
                return false;
            }
            try {
                long pid = Long.parseLong(writer.substring(0, at));
                return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(Writer::describe).filter(writer::equals).isPresent();
            } catch (NumberFormatException e) {
                return false;
            }
        }

        private static String describe(ProcessHandle process) {
            long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            return process.pid() + "@" + start;
        }
    }
}
