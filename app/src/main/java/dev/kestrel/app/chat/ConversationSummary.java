package dev.kestrel.app.chat;

import java.time.Instant;

/** A stored conversation as a list shows it; pinned ones come first. */
public record ConversationSummary(long id, String title, Instant updatedAt, boolean pinned) {}
