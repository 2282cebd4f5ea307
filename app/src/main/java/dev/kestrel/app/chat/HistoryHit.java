package dev.kestrel.app.chat;

import java.util.List;
import java.util.OptionalLong;

/**
 * A search hit: the conversation, the message that matched (empty when the title did), and a
 * snippet of the text around the match with the matched words' character ranges.
 */
public record HistoryHit(long conversationId, String title, OptionalLong messageId, String snippet, List<Highlight> highlights) {

    /** Characters {@code start} (inclusive) to {@code end} (exclusive) of the snippet matched. */
    public record Highlight(int start, int end) {}

    public HistoryHit {
        highlights = List.copyOf(highlights);
    }
}
