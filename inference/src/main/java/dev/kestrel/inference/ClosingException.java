package dev.kestrel.inference;

/**
 * The process is ending, so the engine takes no more work: what was under way stopped where it
 * was, and a reply cut this way is interrupted, not failed.
 */
public final class ClosingException extends InferenceException {

    public ClosingException() {
        super("Kestrel is closing");
    }
}
