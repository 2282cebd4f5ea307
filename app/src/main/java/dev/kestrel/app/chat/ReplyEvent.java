package dev.kestrel.app.chat;

/** What the window hears about a reply while it is written. */
public sealed interface ReplyEvent {

    /** Answer text to append. */
    record Text(String delta) implements ReplyEvent {}

    /** Thinking text to append (thinking models). */
    record Thinking(String delta) implements ReplyEvent {}

    /** The model stopped thinking after {@code tokens} tokens; {@code forced} when its budget ran out. */
    record ThinkingEnded(int tokens, boolean forced) implements ReplyEvent {}

    /** Something the person should know about this reply, such as older messages left out. */
    record Notice(String message) implements ReplyEvent {}

    /** The reply ended: {@code outcome} says how; {@code text} is all of it. */
    record Finished(ReplyOutcome outcome, String text, ReplyStats stats) implements ReplyEvent {}

    /** The reply failed; {@code text} is what was written before, kept in the history too. */
    record Failed(String message, String text) implements ReplyEvent {}
}
