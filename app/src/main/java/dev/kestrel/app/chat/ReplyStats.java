package dev.kestrel.app.chat;

/** The figures shown under a reply. */
public record ReplyStats(
        int promptTokens, int completionTokens, int thinkingTokens, double ttftMs, double tokensPerSecond, String device) {}
