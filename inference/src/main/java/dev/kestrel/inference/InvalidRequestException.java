package dev.kestrel.inference;

/** A generation request the model cannot serve as asked, such as a prompt longer than its context. */
public final class InvalidRequestException extends InferenceException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
