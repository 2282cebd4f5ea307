package dev.kestrel.storage;

/**
 * What producing a reply took: tokens read and written, time to the first token, the whole time,
 * and the execution provider that ran it. All zero (and an empty device) for messages that were
 * not generated, such as the user's.
 */
public record ReplyMetrics(
        int promptTokens, int imageTokens, int thinkingTokens, int completionTokens, long timeToFirstTokenMillis,
        long durationMillis, String device) {

    public static final ReplyMetrics NONE = new ReplyMetrics(0, 0, 0, 0, 0, 0, "");
}
