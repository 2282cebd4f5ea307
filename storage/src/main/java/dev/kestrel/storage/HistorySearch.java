package dev.kestrel.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full-text search over conversation titles and message text (SQLite FTS5), best matches first
 * (BM25, a title match counting double), each hit with a highlighted snippet. What the user types
 * is taken as words, not as FTS5 syntax: every word must occur, the last one as a prefix, so that
 * results appear while typing and no input can be a syntax error.
 */
public final class HistorySearch {

    /** Marks a highlight's start and end in FTS5's output; private-use characters that no message contains. */
    private static final char OPEN = '\uE000';
    private static final char CLOSE = '\uE001';
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}_]+");
    private static final double TITLE_WEIGHT = 2.0;

    private final Database db;

    HistorySearch(Database db) {
        this.db = db;
    }

    public List<SearchHit> search(String text, int offset, int limit) {
        String query = matchExpression(text);
        if (query.isEmpty()) {
            return List.of();
        }
        String marks = "'" + OPEN + "', '" + CLOSE + "'";
        return db.read(() -> {
            try (PreparedStatement statement = db.connection().prepareStatement(
                    "SELECT conversation_id, title, message_id, snippet FROM ("
                            + " SELECT m.conversation_id, c.title, m.id AS message_id,"
                            + "  snippet(messages_search, 0, " + marks + ", '…', 16) AS snippet, bm25(messages_search) AS rank"
                            + "  FROM messages_search JOIN messages m ON m.id = messages_search.rowid"
                            + "  JOIN conversations c ON c.id = m.conversation_id WHERE messages_search MATCH ?"
                            + " UNION ALL"
                            + " SELECT c.id, c.title, NULL, highlight(conversations_search, 0, " + marks + "),"
                            + "  bm25(conversations_search) * " + TITLE_WEIGHT
                            + "  FROM conversations_search JOIN conversations c ON c.id = conversations_search.rowid"
                            + "  WHERE conversations_search MATCH ?)"
                            + " ORDER BY rank, message_id IS NOT NULL, message_id DESC LIMIT ? OFFSET ?")) {
                statement.setString(1, query);
                statement.setString(2, query);
                statement.setInt(3, limit);
                statement.setInt(4, offset);
                ResultSet rows = statement.executeQuery();
                List<SearchHit> hits = new ArrayList<>();
                while (rows.next()) {
                    long message = rows.getLong("message_id");
                    OptionalLong messageId = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(message);
                    hits.add(new SearchHit(rows.getLong("conversation_id"), rows.getString("title"), messageId,
                            snippet(rows.getString("snippet"))));
                }
                return hits;
            }
        });
    }

    /** The user's words as an FTS5 expression: each quoted, all required, the last a prefix. Empty when there are none. */
    static String matchExpression(String text) {
        Matcher words = WORD.matcher(text);
        List<String> terms = new ArrayList<>();
        while (words.find()) {
            terms.add("\"" + words.group() + "\"");
        }
        if (terms.isEmpty()) {
            return "";
        }
        boolean typing = !text.isEmpty() && !Character.isWhitespace(text.charAt(text.length() - 1));
        if (typing) {
            terms.set(terms.size() - 1, terms.getLast() + "*");
        }
        return String.join(" ", terms);
    }

    static SearchHit.Snippet snippet(String marked) {
        StringBuilder text = new StringBuilder(marked.length());
        List<SearchHit.Range> highlights = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < marked.length(); i++) {
            char c = marked.charAt(i);
            if (c == OPEN) {
                start = text.length();
            } else if (c == CLOSE && start >= 0) {
                highlights.add(new SearchHit.Range(start, text.length()));
                start = -1;
            } else {
                text.append(c);
            }
        }
        return new SearchHit.Snippet(text.toString(), highlights);
    }
}
