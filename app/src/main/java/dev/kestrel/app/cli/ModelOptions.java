package dev.kestrel.app.cli;

import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.runtime.DeviceKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which model to load and how: the options {@code ask} and {@code bench} share. */
final class ModelOptions {

    enum Device {
        auto, cpu, gpu, npu;

        DeviceKind kind() {
            return DeviceKind.valueOf(name().toUpperCase(Locale.ROOT));
        }
    }

    @Option(names = "--model", paramLabel = "DIR", description = "Model folder (default: the bundled model).")
    Path model;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            description = "auto, cpu, gpu or npu (default ${DEFAULT-VALUE}).")
    Device device;

    @Option(names = "--variant", paramLabel = "NAME",
            description = "Weights to load: q4, fp32, fp16, int8, q4f16, ... (default: best for the device).")
    String variant;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "CPU threads (default: one per core).")
    int threads;

    /** The model folder: --model, or the bundled model. */
    Path folder() {
        return model != null ? model : BundledModels.defaultModel();
    }

    EngineOptions engineOptions(AppPaths paths) {
        if (threads < 0) {
            throw new AppException("--threads must be 0 (automatic) or more");
        }
        return new EngineOptions(variant == null ? Optional.empty() : Optional.of(parseVariant(variant)), threads, device.kind(),
                paths.providerFolders());
    }

    private static Variant parseVariant(String label) {
        return Variant.fromLabel(label).orElseThrow(() -> new AppException("unknown --variant '" + label + "'; use one of "
                + String.join(", ", Arrays.stream(Variant.values()).map(Variant::label).toList())));
    }
}
