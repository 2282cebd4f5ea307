package dev.kestrel.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesTest {

    static final Devices.Found CPU = new Devices.Found("CPUExecutionProvider", DeviceKind.CPU, "Intel", Optional.empty());
    static final Devices.Found CUDA = new Devices.Found("CUDAExecutionProvider", DeviceKind.GPU, "NVIDIA", Optional.empty());
    static final Devices.Found QNN = new Devices.Found("QNNExecutionProvider", DeviceKind.NPU, "Qualcomm", Optional.empty());

    @Test
    void autoPrefersAnNpuThenAGpuThenTheCpu() {
        assertThat(Devices.plan(DeviceKind.AUTO, List.of(CPU, CUDA, QNN)).provider()).isEqualTo("QNNExecutionProvider");
        assertThat(Devices.plan(DeviceKind.AUTO, List.of(CPU, CUDA)).provider()).isEqualTo("CUDAExecutionProvider");
        Devices.Plan cpuOnly = Devices.plan(DeviceKind.AUTO, List.of(CPU));
        assertThat(cpuOnly.provider()).isEqualTo("CPUExecutionProvider");
        assertThat(cpuOnly.fallbackReason()).as("auto asked for nothing in particular").isEmpty();
    }

    @Test
    void anExplicitDeviceThatIsMissingFallsBackToTheCpuWithTheReason() {
        Devices.Plan plan = Devices.plan(DeviceKind.GPU, List.of(CPU, QNN));
        assertThat(plan.kind()).isEqualTo(DeviceKind.CPU);
        assertThat(plan.fallbackReason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("no gpu execution provider was found (found: CPUExecutionProvider, QNNExecutionProvider)"));
        assertThat(Devices.plan(DeviceKind.NPU, List.of(CPU, QNN)).kind()).isEqualTo(DeviceKind.NPU);
        assertThat(Devices.plan(DeviceKind.CPU, List.of(CPU, CUDA)).provider()).isEqualTo("CPUExecutionProvider");
    }

    @Test
    void onnxRuntimeFindsTheCpuHere(@TempDir Path plugins) {
        List<Devices.Found> found = Devices.discover(List.of(plugins));
        assertThat(found).anyMatch(f -> f.provider().equals("CPUExecutionProvider") && f.kind() == DeviceKind.CPU);
        assertThat(Devices.builtInProviders()).isNotEmpty();
    }
}
