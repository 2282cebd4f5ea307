package dev.kestrel.inference.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.kestrel.inference.InferenceException;
import dev.kestrel.inference.ModelFolderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The process-wide ONNX Runtime environment and how Kestrel opens sessions on it, on the execution
 * provider a {@link Devices.Plan} names; a provider that cannot load the graph gives way to the
 * CPU, and the reason is kept.
 */
public final class OrtRuntime {

    public static final String CPU_PROVIDER = "CPUExecutionProvider";

    private static final OrtEnvironment ENVIRONMENT = createEnvironment();

    /** Stack for the thread that creates the environment (see {@link #createEnvironment}). */
    static final long CREATE_STACK_BYTES = 64L << 20;

    private OrtRuntime() {}

    /**
     * Creates ONNX Runtime's environment on a thread of its own with a large stack. Creating it
     * recurses about 12,000 native frames deep, close to the 1 MB a Java thread has by default: a
     * core dump of {@code kestrel ask} dying with SIGSEGV at start (exit 139, no JVM crash log)
     * showed {@code OrtEnvironment.createHandle} overflowing the main thread's stack. The stack is
     * reserved, not used; only the pages touched are.
     */
    private static OrtEnvironment createEnvironment() {
        // Not a lambda: that would be a method of this class, which is still being initialized, and
        // the new thread would wait for that initialization while it waits for the thread.
        EnvironmentCreator creator = new EnvironmentCreator();
        Thread thread = new Thread(null, creator, "kestrel-onnxruntime-environment", CREATE_STACK_BYTES);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (creator.failed != null) {
            throw creator.failed;
        }
        return creator.created;
    }

    private static final class EnvironmentCreator implements Runnable {
        private OrtEnvironment created;
        private RuntimeException failed;

        @Override
        public void run() {
            try {
                // ONNX Runtime's warnings go to stderr from native code; only errors are worth a person's attention there.
                created = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "kestrel");
            } catch (RuntimeException e) {
                failed = e;
            }
        }
    }

    public static OrtEnvironment environment() {
        return ENVIRONMENT;
    }

    /** A session and where it runs; {@code plan.fallbackReason()} says why not where it was asked to. */
    public record Opened(OrtSession session, Devices.Plan plan) {}

    /**
     * Opens an ONNX graph on the CPU. A missing or unreadable file is the model folder's fault and says so.
     *
     * @param threads intra-op threads, 0 for ONNX Runtime's choice (one per physical core)
     */
    public static OrtSession open(Path graph, int threads) {
        return open(graph, threads, Devices.Plan.CPU).session();
    }

    /** Opens an ONNX graph on the planned provider, or on the CPU when that provider cannot load it. */
    @SuppressWarnings("try") // the section is held, not used
    public static Opened open(Path graph, int threads, Devices.Plan plan) {
        // Options and sessions are made and freed inside one section: the process does not end midway.
        try (NativeWork.Section section = NativeWork.enter()) {
            if (!Files.isRegularFile(graph)) {
                throw new ModelFolderException("model file '" + graph + "' does not exist");
            }
            if (plan.usesAccelerator()) {
                try (OrtSession.SessionOptions options = options(threads)) {
                    if (plan.epDevice().isPresent()) {
                        options.addExecutionProvider(List.of(plan.epDevice().get()), Map.of());
                    } else {
                        switch (plan.builtIn().orElseThrow()) {
                            case CUDA -> options.addCUDA();
                            case DIRECT_ML -> options.addDirectML(0);
                            case ROCM -> options.addROCM();
                            case CORE_ML -> options.addCoreML();
                            default -> throw new IllegalStateException("no session option for " + plan.provider());
                        }
                    }
                    Optional<Path> compiled = CompiledGraphs.prepare(ENVIRONMENT, options, graph, plan);
                    if (compiled.isPresent()) {
                        try {
                            return new Opened(ENVIRONMENT.createSession(compiled.get().toString(), options), plan);
                        } catch (OrtException e) {
                            CompiledGraphs.discard(compiled.get(), reason(e));
                        }
                    }
                    return new Opened(ENVIRONMENT.createSession(graph.toString(), options), plan);
                } catch (OrtException e) {
                    Devices.Plan cpu = plan.fallBack(plan.provider() + " could not load " + graph.getFileName() + " (" + reason(e)
                            + "); running on the CPU");
                    return new Opened(createCpuSession(graph, threads), cpu);
                }
            }
            return new Opened(createCpuSession(graph, threads), plan);
        }
    }

    private static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setIntraOpNumThreads(Math.max(0, threads));
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        return options;
    }

    private static OrtSession createCpuSession(Path graph, int threads) {
        try (OrtSession.SessionOptions options = options(threads)) {
            return ENVIRONMENT.createSession(graph.toString(), options);
        } catch (OrtException e) {
            String reason = reason(e);
            if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF
                    || e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_GRAPH
                    || e.getCode() == OrtException.OrtErrorCode.ORT_NO_MODEL
                    || e.getCode() == OrtException.OrtErrorCode.ORT_NO_SUCHFILE
                    || e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT
                    || e.getCode() == OrtException.OrtErrorCode.ORT_FAIL) {
                throw new ModelFolderException("model file '" + graph + "' is not a valid ONNX model: " + reason, e);
            }
            throw new InferenceException("ONNX Runtime could not load '" + graph + "': " + reason, e);
        }
    }

    /** ONNX Runtime's own words without its "Error code - ... - message:" preamble. */
    public static String reason(OrtException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int at = message.indexOf("message: ");
        String reason = at < 0 ? message : message.substring(at + "message: ".length());
        int newline = reason.indexOf('\n');
        return (newline < 0 ? reason : reason.substring(0, newline)).trim();
    }
}
