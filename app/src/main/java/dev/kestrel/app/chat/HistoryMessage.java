package dev.kestrel.app.chat;

/** A message of a stored conversation, as the window shows it. */
public record HistoryMessage(long id, Speaker speaker, String text, String thinking, String status) {

    public enum Speaker { USER, ASSISTANT, SYSTEM }
}
