package dev.kestrel.app.chat;

/** How a reply ended. */
public enum ReplyOutcome {
    /** The model finished its answer. */
    COMPLETE,
    /** The token limit or the end of the model's context cut it. */
    TRUNCATED,
    /** The user stopped it. */
    STOPPED
}
