package dev.kestrel.inference;

/**
 * The engine's one unchecked root exception. Its message is written for a person: what went wrong
 * and, where it helps, what to do. Direct instances are internal failures; the subclasses are
 * problems with what the caller gave the engine (exit status 2 on the command line).
 */
public sealed class InferenceException extends RuntimeException
        permits ModelFolderException, InvalidRequestException, ClosingException {

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
