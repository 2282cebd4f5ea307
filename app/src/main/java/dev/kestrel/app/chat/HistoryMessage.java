package dev.kestrel.app.chat;

import java.util.List;

/** A message of a stored conversation, as the window shows it; {@code pictures} are its attached files' thumbnails. */
public record HistoryMessage(long id, Speaker speaker, String text, String thinking, String status, List<Thumbnail> pictures) {

    public HistoryMessage {
        pictures = List.copyOf(pictures);
    }

    public enum Speaker { USER, ASSISTANT, SYSTEM }
}
