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
        // Ranks first, with no snippets: FTS5 would otherwise make a snippet for every matching row
        // before the sort (measured over 100k messages: 1.7 s for a word in most of them); then
        // snippets for the one page of hits.
        record Ranked(boolean title, long id) {}
        List<Ranked> page = db.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT title, id FROM ("
                            + " SELECT 0 AS title, rowid AS id, rank FROM messages_search WHERE messages_search MATCH ?"
                            + " UNION ALL"
                            + " SELECT 1, rowid, rank * " + TITLE_WEIGHT + " FROM conversations_search WHERE conversations_search MATCH ?)"
                            + " ORDER BY rank, title DESC, id DESC LIMIT ? OFFSET ?")) {
                statement.setString(1, query);
                statement.setString(2, query);
                statement.setInt(3, limit);
                statement.setInt(4, offset);
                ResultSet rows = statement.executeQuery();
                List<Ranked> ranked = new ArrayList<>();
                while (rows.next()) {
                    ranked.add(new Ranked(rows.getBoolean(1), rows.getLong(2)));
                }
                return ranked;
            }
        });
        String marks = "'" + OPEN + "', '" + CLOSE + "'";
        return db.read(connection -> {
            List<SearchHit> hits = new ArrayList<>();
            try (PreparedStatement message = connection.prepareStatement(
                    "SELECT m.conversation_id, c.title, snippet(messages_search, 0, " + marks + ", '…', 16)"
                            + " FROM messages_search JOIN messages m ON m.id = messages_search.rowid"
                            + " JOIN conversations c ON c.id = m.conversation_id"
                            + " WHERE messages_search MATCH ? AND messages_search.rowid = ?");
                 PreparedStatement title = connection.prepareStatement(
                    "SELECT c.id, c.title, highlight(conversations_search, 0, " + marks + ")"
                            + " FROM conversations_search JOIN conversations c ON c.id = conversations_search.rowid"
                            + " WHERE conversations_search MATCH ? AND conversations_search.rowid = ?")) {
                for (Ranked hit : page) {
                    PreparedStatement statement = hit.title() ? title : message;
                    statement.setString(1, query);
                    statement.setLong(2, hit.id());
                    ResultSet rows = statement.executeQuery();
                    if (rows.next()) { // a hit deleted between the two reads is left out
                        hits.add(new SearchHit(rows.getLong(1), rows.getString(2),
                                hit.title() ? OptionalLong.empty() : OptionalLong.of(hit.id()), snippet(rows.getString(3))));
                    }
                }
            }
            return hits;
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
