package dev.kestrel.app.chat;

/** What the window hears about a reply while it is written. */
public sealed interface ReplyEvent {

    /** Answer text to append. */
    record Text(String delta) implements ReplyEvent {}

    /** The reply ended: {@code outcome} says how; {@code text} is all of it. */
    record Finished(ReplyOutcome outcome, String text, ReplyStats stats) implements ReplyEvent {}

    /** The reply failed; {@code text} is what was written before, kept in the history too. */
    record Failed(String message, String text) implements ReplyEvent {}
}
