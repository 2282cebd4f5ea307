package dev.kestrel.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtProvider;
import dev.kestrel.inference.model.ModelFolder;
import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.runtime.DeviceKind;
import dev.kestrel.inference.runtime.Devices;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which weights a model loads on which device, and what happens when the device's provider fails. */
class DeviceVariantTest {

    private static final ModelFolder QWEN3 = ModelFolder.open(TinyDecoder.fixture("tiny-qwen3")); // fp32, fp16 and q4

    private static Devices.Plan plan(String provider, DeviceKind kind, Optional<OrtProvider> builtIn) {
        return new Devices.Plan(provider, kind, Optional.empty(), builtIn, Optional.empty());
    }

    @Test
    void eachDeviceHasItsOrder() {
        assertThat(EngineOptions.preference(Devices.Plan.CPU)).startsWith(Variant.Q4, Variant.FP32);
        assertThat(EngineOptions.preference(plan("CUDAExecutionProvider", DeviceKind.GPU, Optional.empty())))
                .startsWith(Variant.Q4F16, Variant.FP16, Variant.Q4);
        assertThat(EngineOptions.preference(plan("DmlExecutionProvider", DeviceKind.GPU, Optional.empty())))
                .startsWith(Variant.Q4F16, Variant.FP16);
        assertThat(EngineOptions.preference(plan("CoreMLExecutionProvider", DeviceKind.GPU, Optional.empty())))
                .startsWith(Variant.FP16, Variant.FP32);
        assertThat(EngineOptions.preference(plan("QNNExecutionProvider", DeviceKind.NPU, Optional.empty())))
                .startsWith(Variant.FP16, Variant.FP32).endsWith(Variant.Q4F16, Variant.Q4, Variant.BNB4);
        for (DeviceKind kind : DeviceKind.values()) {
            assertThat(EngineOptions.preference(plan("AnyExecutionProvider", kind, Optional.empty())))
                    .as(kind.label()).containsExactlyInAnyOrder(Variant.values());
        }
    }

    @Test
    void theCpuLoadsItsOwnChoice() {
        try (LanguageModel model = LanguageModel.load(QWEN3, EngineOptions.DEFAULT, Devices.Plan.CPU, System.nanoTime())) {
            assertThat(model.variant()).isEqualTo(Variant.Q4);
            assertThat(model.deviceFallback()).isEmpty();
        }
    }

    @Test
    void aGpuThatCannotLoadTheModelLeavesItToTheCpuInTheCpusVariant() {
        // This ONNX Runtime has no CUDA, so the planned provider fails as a broken driver would: the GPU's
        // choice (fp16 here) is dropped for the CPU's, and the reason is kept.
        Devices.Plan cuda = plan("CUDAExecutionProvider", DeviceKind.GPU, Optional.of(OrtProvider.CUDA));
        try (LanguageModel model = LanguageModel.load(QWEN3, EngineOptions.DEFAULT, cuda, System.nanoTime())) {
            assertThat(model.variant()).isEqualTo(Variant.Q4);
            assertThat(model.deviceKind()).isEqualTo(DeviceKind.CPU);
            assertThat(model.deviceFallback()).hasValueSatisfying(reason -> assertThat(reason).contains("CUDAExecutionProvider"));
        }
    }

    @Test
    void aVariantAskedForIsKeptWhereverTheModelRuns() {
        Devices.Plan cuda = plan("CUDAExecutionProvider", DeviceKind.GPU, Optional.of(OrtProvider.CUDA));
        EngineOptions fp16 = new EngineOptions(Optional.of(Variant.FP16), 0);
        try (LanguageModel model = LanguageModel.load(QWEN3, fp16, cuda, System.nanoTime())) {
            assertThat(model.variant()).isEqualTo(Variant.FP16);
            assertThat(model.deviceFallback()).isPresent();
        }
    }
}
