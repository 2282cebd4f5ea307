package dev.kestrel.inference;

/** A model folder is missing, incomplete, inconsistent or holds a file that cannot be read. */
public final class ModelFolderException extends InferenceException {

    public ModelFolderException(String message) {
        super(message);
    }

    public ModelFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
