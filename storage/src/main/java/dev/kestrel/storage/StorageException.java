package dev.kestrel.storage;

/** The storage module's one unchecked exception; its message says what happened to which file. */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
