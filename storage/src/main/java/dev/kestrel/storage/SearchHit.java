package dev.kestrel.storage;

import java.util.List;
import java.util.OptionalLong;

/**
 * One search result: the conversation, and the message that matched (absent when the title did),
 * with a snippet of the matching text and where in it the query's words are.
 */
public record SearchHit(long conversationId, String title, OptionalLong messageId, Snippet snippet) {

    /** Text with highlighted ranges [start, end) in characters, in order. */
    public record Snippet(String text, List<Range> highlights) {}

    public record Range(int start, int end) {}
}
