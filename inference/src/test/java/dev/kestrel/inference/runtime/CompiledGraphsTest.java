package dev.kestrel.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtException;
import dev.kestrel.inference.TinyDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EP-context cache, on the one provider here that the device API offers: the CPU, which compiles
 * nothing, as the CPU and most GPU providers do. What an NPU's compiled graph would be is out of reach.
 */
class CompiledGraphsTest {

    @TempDir
    Path cache;

    private static Devices.Plan cpuDevice(Path cache) {
        OrtEpDevice cpu = Devices.discover(List.of()).stream().filter(f -> f.provider().equals(OrtRuntime.CPU_PROVIDER))
                .flatMap(f -> f.epDevice().stream()).findFirst().orElseThrow();
        return new Devices.Plan(OrtRuntime.CPU_PROVIDER, DeviceKind.CPU, Optional.of(cpu), Optional.empty(), Optional.empty())
                .withCompiledGraphs(Optional.of(cache));
    }

    private static Path graph(Path dir) throws IOException {
        Path copy = dir.resolve("model.onnx");
        Files.copy(TinyDecoder.fixture("tiny-qwen3").resolve("onnx/model.onnx"), copy);
        return copy;
    }

    private static void opens(Path graph, Devices.Plan plan) throws OrtException {
        OrtRuntime.Opened opened = OrtRuntime.open(graph, 1, plan);
        try (var session = opened.session()) {
            assertThat(session.getInputNames()).contains("input_ids");
            assertThat(opened.plan().fallbackReason()).isEmpty();
        }
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile).map(cache::relativize).toList();
        }
    }

    @Test
    void aProviderThatCompilesNothingIsAskedOnceAndTheModelRunsAsItIs(@TempDir Path models) throws Exception {
        Path graph = graph(models);
        Devices.Plan plan = cpuDevice(cache);
        opens(graph, plan);
        assertThat(entries()).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(CompiledGraphs.NOTHING, CompiledGraphs.SOURCE);
        assertThat(entries()).allSatisfy(p -> {
            assertThat(p.getParent().getParent().toString()).isEqualTo(OrtRuntime.CPU_PROVIDER);
            assertThat(p.getParent().getFileName().toString()).startsWith("model-");
        });
        Path marker = cache.resolve(entries().stream().filter(p -> p.endsWith(CompiledGraphs.NOTHING)).findFirst().orElseThrow());
        assertThat(marker).content().startsWith("CPUExecutionProvider compiled nothing of " + graph);

        Files.writeString(marker, "asked before\n");
        opens(graph, plan);
        assertThat(marker).as("not asked again").hasContent("asked before");

        Files.setLastModifiedTime(graph, FileTime.fromMillis(Files.getLastModifiedTime(graph).toMillis() + 60_000));
        opens(graph, plan);
        assertThat(entries()).as("a changed model file is compiled afresh").hasSize(4);
    }

    @Test
    void forgettingAModelDropsItsEntriesAndNoOtherModels(@TempDir Path models) throws Exception {
        Path kept = graph(Files.createDirectories(models.resolve("kept")));
        Path removed = graph(Files.createDirectories(models.resolve("removed")));
        Devices.Plan plan = cpuDevice(cache);
        opens(kept, plan);
        opens(removed, plan);
        Path keptEntry = CompiledGraphs.entry(cache, kept, plan, OrtRuntime.environment().getVersion());
        Path removedEntry = CompiledGraphs.entry(cache, removed, plan, OrtRuntime.environment().getVersion());
        assertThat(removedEntry.resolve(CompiledGraphs.SOURCE)).hasContent(removed.toAbsolutePath().toString());

        assertThat(CompiledGraphs.forget(cache, models.resolve("removed"))).isEqualTo(1);
        assertThat(removedEntry).doesNotExist();
        assertThat(keptEntry).isDirectory();
        assertThat(CompiledGraphs.forget(cache, models.resolve("removed"))).isZero();
        assertThat(CompiledGraphs.forget(models.resolve("no-cache-yet"), models.resolve("kept"))).isZero();
    }

    @Test
    void aCompiledGraphThatNoLongerLoadsIsDiscardedAndTheModelStillRuns(@TempDir Path models) throws Exception {
        Path graph = graph(models);
        Devices.Plan plan = cpuDevice(cache);
        Path entry = CompiledGraphs.entry(cache, graph, plan, OrtRuntime.environment().getVersion());
        Files.createDirectories(entry);
        Files.writeString(entry.resolve(CompiledGraphs.MODEL), "compiled for a driver that is gone");
        opens(graph, plan);
        assertThat(entry).doesNotExist();
    }

    @Test
    void withoutACacheFolderNothingIsCompiledOrWritten(@TempDir Path models) throws Exception {
        Devices.Plan plan = cpuDevice(cache).withCompiledGraphs(Optional.empty());
        opens(graph(models), plan);
        assertThat(entries()).isEmpty();
    }
}
