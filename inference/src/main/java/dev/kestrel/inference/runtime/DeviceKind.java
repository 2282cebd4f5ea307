package dev.kestrel.inference.runtime;

import java.util.Locale;

/** What a model may run on; {@code AUTO} prefers an NPU, then a GPU, then the CPU. */
public enum DeviceKind {
    AUTO, CPU, GPU, NPU;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
