package dev.kestrel.ui.violation;

import ai.onnxruntime.OrtEnvironment;
import dev.kestrel.inference.runtime.OrtRuntime;

/** A planted violation for DependencyRulesTest: ui code using the engine and ONNX Runtime directly. */
public final class UiReachesIntoInference {

    private UiReachesIntoInference() {}

    public static OrtEnvironment environment() {
        return OrtRuntime.environment();
    }
}
