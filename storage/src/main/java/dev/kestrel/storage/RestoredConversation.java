package dev.kestrel.storage;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * A whole conversation to put back into the history (an import), as it was: settings, times and
 * every message, branches included. A message's {@code parent} is the index of an earlier message
 * in {@code messages}, or -1 for none.
 */
public record RestoredConversation(
        String title, String model, String systemPrompt, OptionalInt thinkBudget, boolean pinned, boolean archived,
        Instant createdAt, Instant updatedAt, List<Message> messages) {

    public RestoredConversation {
        messages = List.copyOf(messages);
    }

    public record Message(
            int parent, Role role, String content, String thinking, MessageStatus status, String model, SamplingSettings sampling,
            ReplyMetrics metrics, Instant createdAt, Instant updatedAt, List<NewAttachment> attachments) {

        public Message {
            attachments = List.copyOf(attachments);
        }
    }
}
