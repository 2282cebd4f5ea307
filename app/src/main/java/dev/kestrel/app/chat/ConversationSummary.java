package dev.kestrel.app.chat;

import java.time.Instant;

/** A stored conversation in a list. */
public record ConversationSummary(long id, String title, Instant updatedAt) {}
