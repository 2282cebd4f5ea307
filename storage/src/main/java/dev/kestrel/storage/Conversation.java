package dev.kestrel.storage;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * A stored conversation. {@code model} is the model folder's name, empty when unknown;
 * {@code systemPrompt} is empty when there is none; {@code thinkBudget} is empty when the
 * conversation follows the app's setting, else 0 (no thinking), a number of tokens, or
 * {@link #UNLIMITED}.
 */
public record Conversation(
        long id, String title, String model, String systemPrompt, OptionalInt thinkBudget, boolean pinned,
        boolean archived, Instant createdAt, Instant updatedAt) {

    public static final int UNLIMITED = -1;
}
