package dev.kestrel.inference;

import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.runtime.DeviceKind;
import java.nio.file.Path;
import dev.kestrel.inference.vision.VisionOptions;
import java.util.List;
import java.util.Optional;

/**
 * How to load a model.
 *
 * @param variant       weights to load; empty picks the first present in {@link #CPU_PREFERENCE}
 * @param threads       intra-op threads, 0 for ONNX Runtime's choice
 * @param device        where to run: auto (NPU, then GPU, then CPU), cpu, gpu or npu
 * @param pluginFolders folders searched for execution-provider libraries to register
 * @param vision        tiling, tile batches and the image cache, for models that see
 */
public record EngineOptions(Optional<Variant> variant, int threads, DeviceKind device, List<Path> pluginFolders, VisionOptions vision) {

    /**
     * On the CPU, 4-bit weights first (BlueLM-V-3B runs INT4 language weights), then full precision,
     * then 8-bit, and half precision last because CPUs compute it slowly.
     */
    public static final List<Variant> CPU_PREFERENCE = List.of(
            Variant.Q4, Variant.FP32, Variant.QUANTIZED, Variant.INT8, Variant.UINT8, Variant.BNB4, Variant.FP16, Variant.Q4F16);

    public static final EngineOptions DEFAULT = new EngineOptions(Optional.empty(), 0, DeviceKind.AUTO, List.of(), VisionOptions.DEFAULT);

    public EngineOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (automatic) or more, not " + threads);
        }
        pluginFolders = List.copyOf(pluginFolders);
    }

    public EngineOptions(Optional<Variant> variant, int threads) {
        this(variant, threads, DeviceKind.AUTO, List.of(), VisionOptions.DEFAULT);
    }

    public EngineOptions withVision(VisionOptions options) {
        return new EngineOptions(variant, threads, device, pluginFolders, options);
    }
}
