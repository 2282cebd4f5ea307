package dev.kestrel.storage;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * A stored message. {@code parentId} is the message it answers or follows, absent for the first;
 * several messages with one parent are branches (regenerated replies, edited questions).
 */
public record Message(
        long id, long conversationId, OptionalLong parentId, Role role, String content, String thinking,
        MessageStatus status, String model, SamplingSettings sampling, ReplyMetrics metrics, Instant createdAt,
        Instant updatedAt) {}
