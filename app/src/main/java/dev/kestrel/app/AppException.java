package dev.kestrel.app;

/** A problem with what the user asked of the app (a file, a flag, a model choice), said plainly. */
public final class AppException extends RuntimeException {

    public AppException(String message) {
        super(message);
    }

    public AppException(String message, Throwable cause) {
        super(message, cause);
    }
}
