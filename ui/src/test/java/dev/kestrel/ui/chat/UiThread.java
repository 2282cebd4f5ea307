package dev.kestrel.ui.chat;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** One thread that plays the UI thread for view-model tests: the model is driven and read only there, as in the app. */
public final class UiThread implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    public ExecutorService executor() {
        return thread;
    }

    /** Runs {@code action} on the UI thread and returns what it returns; its assertion failures fail the test. */
    public <T> T call(Callable<T> action) {
        try {
            return thread.submit(action).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError assertion) {
                throw assertion;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Waits up to 30 s for {@code condition}, checked on the UI thread. */
    public void await(Callable<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!call(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for the view model");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
