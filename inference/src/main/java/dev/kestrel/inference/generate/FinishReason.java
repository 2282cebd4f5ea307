package dev.kestrel.inference.generate;

/** Why a reply ended. */
public enum FinishReason {
    /** The model produced a stop token. */
    STOP,
    /** The token limit, or the end of the model's context, was reached. */
    LENGTH,
    /** The caller cancelled. */
    CANCELLED;

    /** The lower-case name used in JSON and storage. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
