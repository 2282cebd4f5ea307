package dev.kestrel.app;

import dev.kestrel.inference.runtime.NativeWork;

/**
 * How Kestrel's processes end (the command line's and the window's): after the model work under
 * way has finished, since ONNX Runtime crashes when its environment is released beneath it
 * ({@link NativeWork}). Signals (Ctrl+C, SIGTERM, SIGHUP) end the process the same way.
 */
public final class AppExit {

    private AppExit() {}

    /** Called first thing by an entry point: SIGTERM, SIGINT and SIGHUP wait for model work under way, then end the process. */
    public static void onSignals() {
        NativeWork.exitOnSignals();
    }

    /** Ends the process with {@code status} once model work under way has finished. */
    public static void now(int status) {
        NativeWork.exit(status);
    }
}
