package dev.kestrel.inference;

/**
 * A request the engine cannot serve as asked: a prompt longer than the model's context, or an
 * attached image that cannot be read.
 */
public final class InvalidRequestException extends InferenceException {

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
