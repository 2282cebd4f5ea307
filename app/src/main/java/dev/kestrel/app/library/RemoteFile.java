package dev.kestrel.app.library;

import java.net.URI;
import java.util.Optional;

/**
 * One file of a model to fetch: where it goes in the model folder, where it comes from, its size
 * when the source says (else -1), and a checksum to verify it by when the source gives one.
 */
public record RemoteFile(String path, URI url, long size, Optional<Checksum> checksum) {

    public RemoteFile {
        if (path.isBlank() || path.startsWith("/") || path.contains("\\") || path.contains("..") || path.contains(":")) {
            throw new IllegalArgumentException("'" + path + "' is not a safe file name inside a model folder");
        }
    }
}
