package dev.kestrel.inference.generate;

/** Token counts of one reply. {@code completionTokens} counts every generated token, thinking included. */
public record Usage(int promptTokens, int imageTokens, int thinkingTokens, int completionTokens) {}
