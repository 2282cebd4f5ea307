package dev.kestrel.inference.generate;

/**
 * Token counts of one reply. {@code thinkingTokens} counts the tokens inside thinking blocks (their
 * markers not included); {@code completionTokens} every generated token, thinking, markers and the
 * stop token included.
 */
public record Usage(int promptTokens, int imageTokens, int thinkingTokens, int completionTokens) {}
