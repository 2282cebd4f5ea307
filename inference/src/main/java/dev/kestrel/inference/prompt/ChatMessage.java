package dev.kestrel.inference.prompt;

import dev.kestrel.inference.vision.EncodedImage;
import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation as the model sees it: its text and the images that come before
 * the text (already encoded, so a turn with them does no vision work).
 */
public record ChatMessage(Role role, String content, List<EncodedImage> images) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        images = List.copyOf(images);
    }

    public ChatMessage(Role role, String content) {
        this(role, content, List.of());
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage user(String content, List<EncodedImage> images) {
        return new ChatMessage(Role.USER, content, images);
    }
}
