package dev.kestrel.app;

import dev.kestrel.inference.InferenceException;
import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.ModelFolderException;
import dev.kestrel.storage.StorageException;
import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * What a person is told when something fails, and the command line's exit status: 2 when the input
 * was at fault (a model folder, a file, a request), 1 for Kestrel's own failures.
 */
public record Failure(String message, int exitStatus, boolean internal) {

    public static final int BAD_INPUT = 2;
    public static final int INTERNAL = 1;

    public static Failure of(Throwable error) {
        return switch (error) {
            case ModelFolderException e -> new Failure(e.getMessage(), BAD_INPUT, false);
            case InvalidRequestException e -> new Failure(e.getMessage(), BAD_INPUT, false);
            case AppException e -> new Failure(e.getMessage(), BAD_INPUT, false);
            case NoSuchFileException e -> new Failure("no such file: " + e.getFile(), BAD_INPUT, false);
            case AccessDeniedException e -> new Failure("permission denied: " + e.getFile(), BAD_INPUT, false);
            case FileNotFoundException e -> new Failure(e.getMessage(), BAD_INPUT, false);
            case InferenceException e -> new Failure(e.getMessage(), INTERNAL, true);
            case StorageException e -> new Failure(e.getMessage(), INTERNAL, true);
            case OutOfMemoryError e -> new Failure("out of memory: give Kestrel more (-Xmx) or choose a smaller model",
                    INTERNAL, true);
            default -> new Failure("internal error: " + (error.getMessage() == null ? error.getClass().getSimpleName()
                    : error.getMessage()), INTERNAL, true);
        };
    }
}
