package dev.feedserver.embeddings.store;

import java.io.IOException;

/** A snapshot file is truncated, corrupted or of an unknown format; nothing was loaded. */
public final class SnapshotException extends IOException {
    private static final long serialVersionUID = 1L;

    public SnapshotException(String message) {
        super(message);
    }
}
