package dev.kestrel.storage;

import java.time.Instant;

/** A stored conversation. {@code model} is the model folder's name, empty when unknown. */
public record Conversation(long id, String title, String model, Instant createdAt, Instant updatedAt) {}
