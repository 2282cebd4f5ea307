package dev.kestrel.inference.runtime;

import dev.kestrel.inference.ClosingException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import sun.misc.Signal;

/**
 * Native work (ONNX Runtime sessions made, run and freed) against the end of the process.
 *
 * <p>ONNX Runtime's Java binding releases its environment in a shutdown hook of its own, and the
 * JVM runs shutdown hooks side by side: a session still being created or run, or a tensor freed,
 * while that hook runs crashes the JVM (SIGSEGV in libonnxruntime.so; microsoft/onnxruntime#31352).
 * So Kestrel ends the process itself: {@link #exit} refuses new native work, waits for the work
 * under way, and only then lets shutdown begin; {@link #exitOnSignals} sends SIGTERM, SIGINT and
 * SIGHUP the same way. A shutdown hook does the same for exits Kestrel does not start, though
 * there it runs beside ONNX Runtime's and can only narrow the window.
 *
 * <p>This class does not load ONNX Runtime, so commands that never touch a model start no faster
 * or slower for it.
 */
public final class NativeWork {

    /** How long the end of the process waits for native work under way. */
    static final long EXIT_WAIT_SECONDS = 20;

    /** Work under way holds this shared; the end of the process takes it exclusively, for good. */
    private static final ReentrantReadWriteLock IN_NATIVE = new ReentrantReadWriteLock();
    private static volatile boolean ending;
    private static final AtomicBoolean DRAINING = new AtomicBoolean();
    private static final CountDownLatch DRAINED = new CountDownLatch(1);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(NativeWork::stopAndWait, "kestrel-native-work-exit"));
    }

    private NativeWork() {}

    /** A call that frees ONNX Runtime objects: a session, a tensor, a run's result. */
    public interface Free<E extends Exception> {
        void free() throws E;
    }

    /**
     * Native work under way (tensors made, a graph run, its outputs read and freed): until it is
     * closed the process does not end, and once the process is ending no new section starts.
     */
    public static final class Section implements AutoCloseable {
        private Section() {}

        @Override
        public void close() {
            IN_NATIVE.readLock().unlock();
        }
    }

    /** Starts a {@link Section}; throws a {@link ClosingException} when the process is ending. */
    public static Section enter() {
        if (ending || !IN_NATIVE.readLock().tryLock()) {
            throw new ClosingException();
        }
        if (ending) {
            IN_NATIVE.readLock().unlock();
            throw new ClosingException();
        }
        return new Section();
    }

    /**
     * Frees ONNX Runtime objects, unless the process is ending: then they are left to the operating
     * system, since freeing them while ONNX Runtime's environment is released crashes the JVM.
     */
    public static <E extends Exception> void free(Free<E> free) throws E {
        if (ending || !IN_NATIVE.readLock().tryLock()) {
            return;
        }
        try {
            if (!ending) {
                free.free();
            }
        } finally {
            IN_NATIVE.readLock().unlock();
        }
    }

    /** Ends the process with {@code status} once the native work under way has finished (at most 20 s). */
    public static void exit(int status) {
        stopAndWait();
        System.exit(status);
    }

    /**
     * Makes SIGTERM, SIGINT (Ctrl+C) and SIGHUP end the process through {@link #exit}, with the
     * status a shell expects (128 + the signal's number). A signal the JVM keeps for itself, or one
     * the system lacks (SIGHUP on Windows), is left as it is.
     */
    public static void exitOnSignals() {
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                Signal.handle(new Signal(name), signal -> exit(128 + signal.getNumber()));
            } catch (IllegalArgumentException unavailable) {
                // not on this system, or reserved by the JVM (-Xrs): the JVM's own handling stays
            }
        }
    }

    /**
     * Refuses new native work and waits for the work under way; the process is ending. The first
     * caller waits for the work; later ones (the shutdown hook after {@link #exit}) wait for it.
     */
    private static void stopAndWait() {
        ending = true;
        try {
            if (DRAINING.compareAndSet(false, true)) {
                try {
                    IN_NATIVE.writeLock().tryLock(EXIT_WAIT_SECONDS, TimeUnit.SECONDS); // held until the process ends
                } finally {
                    DRAINED.countDown();
                }
            } else {
                DRAINED.await(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
