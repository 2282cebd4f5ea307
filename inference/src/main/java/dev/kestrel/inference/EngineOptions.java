package dev.kestrel.inference;

import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.runtime.DeviceKind;
import dev.kestrel.inference.runtime.Devices;
import java.nio.file.Path;
import dev.kestrel.inference.vision.VisionOptions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How to load a model.
 *
 * @param variant       weights to load; empty picks the first present in the device's {@link #preference}
 * @param threads       intra-op threads, 0 for ONNX Runtime's choice
 * @param device        where to run: auto (NPU, then GPU, then CPU), cpu, gpu or npu
 * @param pluginFolders folders searched for execution-provider libraries to register
 * @param vision        tiling, tile batches and the image cache, for models that see
 * @param compiledGraphs folder where graphs compiled for an accelerator are kept (EP context), if anywhere
 */
public record EngineOptions(Optional<Variant> variant, int threads, DeviceKind device, List<Path> pluginFolders, VisionOptions vision,
        Optional<Path> compiledGraphs) {

    /**
     * On the CPU, 4-bit weights first (BlueLM-V-3B runs INT4 language weights), then full precision,
     * then 8-bit, and half precision last because CPUs compute it slowly.
     */
    public static final List<Variant> CPU_PREFERENCE = List.of(
            Variant.Q4, Variant.FP32, Variant.QUANTIZED, Variant.INT8, Variant.UINT8, Variant.BNB4, Variant.FP16, Variant.Q4F16);

    /**
     * On GPUs (CUDA, DirectML, ROCm, WebGPU), 4-bit weights computing in half precision first, as
     * transformers.js picks for WebGPU: the GPU kernels of MatMulNBits take fp16 activations, and the
     * weights stay a quarter of fp16's. Then half precision, then the CPU's order.
     */
    public static final List<Variant> GPU_PREFERENCE = List.of(
            Variant.Q4F16, Variant.FP16, Variant.Q4, Variant.FP32, Variant.QUANTIZED, Variant.INT8, Variant.UINT8, Variant.BNB4);

    /**
     * For providers that compile whole graphs for an accelerator (CoreML, QNN, OpenVINO, VitisAI, and
     * any NPU): plain half precision first, since 4-bit MatMulNBits is an ONNX Runtime contrib op such
     * providers leave to the CPU, cutting the graph into pieces; then full precision, 8-bit, and 4-bit last.
     */
    public static final List<Variant> COMPILER_PREFERENCE = List.of(
            Variant.FP16, Variant.FP32, Variant.QUANTIZED, Variant.INT8, Variant.UINT8, Variant.Q4F16, Variant.Q4, Variant.BNB4);

    private static final Set<String> KERNEL_GPU_PROVIDERS = Set.of(
            "CUDAExecutionProvider", "DmlExecutionProvider", "ROCMExecutionProvider", "WebGpuExecutionProvider");

    /** The variants to try, best first, for a model that runs as {@code plan} says. */
    public static List<Variant> preference(Devices.Plan plan) {
        return switch (plan.kind()) {
            case GPU -> KERNEL_GPU_PROVIDERS.contains(plan.provider()) ? GPU_PREFERENCE : COMPILER_PREFERENCE;
            case NPU -> COMPILER_PREFERENCE;
            case CPU, AUTO -> CPU_PREFERENCE;
        };
    }

    public static final EngineOptions DEFAULT =
            new EngineOptions(Optional.empty(), 0, DeviceKind.AUTO, List.of(), VisionOptions.DEFAULT, Optional.empty());

    public EngineOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (automatic) or more, not " + threads);
        }
        pluginFolders = List.copyOf(pluginFolders);
    }

    public EngineOptions(Optional<Variant> variant, int threads) {
        this(variant, threads, DeviceKind.AUTO, List.of(), VisionOptions.DEFAULT, Optional.empty());
    }

    public EngineOptions withVision(VisionOptions options) {
        return new EngineOptions(variant, threads, device, pluginFolders, options, compiledGraphs);
    }
}
