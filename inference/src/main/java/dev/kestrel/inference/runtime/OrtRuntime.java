package dev.kestrel.inference.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.kestrel.inference.InferenceException;
import dev.kestrel.inference.ModelFolderException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process-wide ONNX Runtime environment and how Kestrel opens sessions on it. Execution
 * providers other than the CPU are chosen here (issue 8); today every session runs on the CPU.
 */
public final class OrtRuntime {

    public static final String CPU_PROVIDER = "CPUExecutionProvider";

    private static final OrtEnvironment ENVIRONMENT =
            // ONNX Runtime's warnings go to stderr from native code; only errors are worth a person's attention there.
            OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "kestrel");

    private OrtRuntime() {}

    public static OrtEnvironment environment() {
        return ENVIRONMENT;
    }

    /**
     * Opens an ONNX graph. A missing or unreadable file is the model folder's fault and says so.
     *
     * @param threads intra-op threads, 0 for ONNX Runtime's choice (one per physical core)
     */
    public static OrtSession open(Path graph, int threads) {
        if (!Files.isRegularFile(graph)) {
            throw new ModelFolderException("model file '" + graph + "' does not exist");
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(Math.max(0, threads));
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
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
