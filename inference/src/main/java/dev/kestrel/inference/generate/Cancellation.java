package dev.kestrel.inference.generate;

import java.util.concurrent.atomic.AtomicBoolean;

/** A flag another thread sets to stop a generation after the current step. */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
