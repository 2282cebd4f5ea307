package dev.kestrel.inference.prompt;

import java.util.Objects;

/** One message of a conversation as the model sees it. */
public record ChatMessage(Role role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }
}
