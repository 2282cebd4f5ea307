package dev.kestrel.app.chat;

/** The figures shown under a reply. */
public record ReplyStats(int promptTokens, int completionTokens, double ttftMs, double tokensPerSecond, String device) {}
