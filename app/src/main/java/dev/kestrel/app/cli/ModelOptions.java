package dev.kestrel.app.cli;

import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.runtime.DeviceKind;
import dev.kestrel.inference.vision.BatchSize;
import dev.kestrel.inference.vision.TilingPolicy;
import dev.kestrel.inference.vision.VisionOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which model to load and how: the options {@code ask} and {@code bench} share. */
final class ModelOptions {

    /** {@code --device}'s values, lower-case as users type them. */
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

    @Option(names = "--tiling", paramLabel = "POLICY",
            description = "How images are cut into tiles: relaxed (BlueLM-V-3B), llava-next, internvl or idefics3 (default: the model's own).")
    String tiling;

    @Option(names = "--max-tiles", paramLabel = "N", description = "Most tiles per image (default: the model's own budget).")
    Integer maxTiles;

    @Option(names = "--tile-batch", paramLabel = "N", defaultValue = "auto",
            description = "Image tiles per vision-encoder run, or auto to measure (default ${DEFAULT-VALUE}).")
    String tileBatch;

    /** The model folder: --model, or the bundled model. */
    Path folder() {
        return model != null ? model : BundledModels.defaultModel();
    }

    EngineOptions engineOptions(AppPaths paths) {
        if (threads < 0) {
            throw new AppException("--threads must be 0 (automatic) or more");
        }
        if (tiling != null && !TilingPolicy.NAMES.contains(tiling)) {
            throw new AppException("unknown --tiling '" + tiling + "'; use one of " + String.join(", ", TilingPolicy.NAMES));
        }
        VisionOptions vision = new VisionOptions(Optional.ofNullable(tiling), Optional.ofNullable(maxTiles), BatchSize.parse(tileBatch),
                Optional.of(paths.imageCache()));
        return new EngineOptions(variant == null ? Optional.empty() : Optional.of(parseVariant(variant)), threads, device.kind(),
                paths.providerFolders(), vision, Optional.of(paths.compiledGraphs()));
    }

    private static Variant parseVariant(String label) {
        return Variant.fromLabel(label).orElseThrow(() -> new AppException("unknown --variant '" + label + "'; use one of "
                + String.join(", ", Arrays.stream(Variant.values()).map(Variant::label).toList())));
    }
}
