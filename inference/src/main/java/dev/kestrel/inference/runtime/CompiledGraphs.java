package dev.kestrel.inference.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtHardwareDevice;
import ai.onnxruntime.OrtModelCompilationOptions;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Graphs compiled ahead for an accelerator, kept per model file and device: ONNX Runtime's EP context,
 * an ONNX file whose nodes hold the provider's compiled binary. NPU providers (QNN, OpenVINO, VitisAI)
 * can take minutes to compile a language model; with the compiled graph kept, that happens once.
 *
 * <p>Each graph gets a folder named by a hash of the graph file (path, size, time), the provider, the
 * device (vendor and device id) and the ONNX Runtime version, so a changed model, driver-visible
 * device or runtime compiles afresh. The folder holds {@code model.onnx} when the provider compiled
 * the graph, or {@value #NOTHING} (with the provider's words) when it compiles nothing, as the CPU and
 * most GPU providers do, so that is not tried again. A graph is compiled into a folder of its own
 * and renamed into place whole; a compiled graph that no longer loads is discarded. Each folder also
 * names its graph in {@value #SOURCE}, so {@link #forget} can drop a removed model's graphs.
 */
public final class CompiledGraphs {

    /** The marker file of a graph that the provider does not compile. */
    static final String NOTHING = "nothing-compiled.txt";
    static final String MODEL = "model.onnx";
    /** The file in each entry that names the graph it was made from, so that removing a model can drop its entries. */
    static final String SOURCE = "source.txt";

    private static final System.Logger LOG = System.getLogger(CompiledGraphs.class.getName());

    private CompiledGraphs() {}

    /**
     * The compiled form of {@code graph} for the provider in {@code options}, compiled now if it has
     * never been tried; empty when the plan keeps no compiled graphs or the provider compiles nothing.
     */
    static Optional<Path> prepare(OrtEnvironment environment, OrtSession.SessionOptions options, Path graph, Devices.Plan plan) {
        if (plan.compiledGraphs().isEmpty()) {
            return Optional.empty();
        }
        Path entry = entry(plan.compiledGraphs().get(), graph, plan, environment.getVersion());
        // An entry is renamed into place whole, holding the compiled graph or the NOTHING marker: it exists once tried.
        if (!Files.isDirectory(entry)) {
            compile(environment, options, graph, plan, entry);
        }
        Path model = entry.resolve(MODEL);
        return Files.isRegularFile(model) ? Optional.of(model) : Optional.empty();
    }

    /** Compiles {@code graph} into {@code entry}, or leaves the NOTHING marker there; on a disk error, neither. */
    private static void compile(OrtEnvironment environment, OrtSession.SessionOptions options, Path graph, Devices.Plan plan, Path entry) {
        Path building = entry.resolveSibling(entry.getFileName() + ".part-" + ProcessHandle.current().pid());
        try {
            deleteTree(building);
            Files.createDirectories(building);
            Files.writeString(building.resolve(SOURCE), graph.toAbsolutePath().normalize() + "\n", StandardCharsets.UTF_8);
            try (OrtModelCompilationOptions compile = OrtModelCompilationOptions.createFromSessionOptions(environment, options)) {
                compile.setInputModelPath(graph.toString());
                compile.setOutputModelPath(building.resolve(MODEL).toString());
                compile.setEpContextEmbedMode(true);
                compile.setCompilationFlags(EnumSet.of(OrtModelCompilationOptions.OrtCompileApiFlags.ERROR_IF_NO_NODES_COMPILED));
                compile.compileModel();
                LOG.log(System.Logger.Level.INFO, "{0} compiled {1} into {2}", plan.provider(), graph, entry);
            } catch (OrtException e) {
                // Most providers compile nothing (the CPU, CUDA, DirectML); some fail on a graph. Either way: not again.
                Files.writeString(building.resolve(NOTHING), plan.provider() + " compiled nothing of " + graph + ": "
                        + OrtRuntime.reason(e) + "\n", StandardCharsets.UTF_8);
                Files.deleteIfExists(building.resolve(MODEL));
            }
            try {
                Files.move(building, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException anotherProcessWasFaster) {
                // Its result is as good as ours.
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the compiled graph of " + graph + " in " + entry + ": " + e);
        } finally {
            deleteTree(building);
        }
    }

    /**
     * Drops the entries under {@code root} made from graphs inside {@code modelFolder} (a model being
     * removed); returns how many. Entries that do not name their graph are left alone.
     */
    public static int forget(Path root, Path modelFolder) {
        Path model = modelFolder.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int dropped = 0;
        try (Stream<Path> sources = Files.find(root, 3, (p, a) -> a.isRegularFile() && p.getFileName().toString().equals(SOURCE))) {
            for (Path source : sources.toList()) {
                if (Path.of(Files.readString(source, StandardCharsets.UTF_8).strip()).startsWith(model)) {
                    deleteTree(source.getParent());
                    dropped++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot drop the compiled graphs of " + model + " from " + root + ": " + e);
        }
        return dropped;
    }

    /** Drops a compiled graph that would not load, so that the next start compiles it again. */
    static void discard(Path compiled, String reason) {
        LOG.log(System.Logger.Level.WARNING, "the compiled graph " + compiled + " does not load (" + reason + "); it is discarded");
        deleteTree(compiled.getParent());
    }

    /** The folder for {@code graph} compiled as {@code plan} says, under {@code root}. */
    static Path entry(Path root, Path graph, Devices.Plan plan, String runtimeVersion) {
        StringBuilder key = new StringBuilder();
        Path file = graph.toAbsolutePath().normalize();
        key.append(file).append('\n');
        try {
            key.append(Files.size(file)).append('\n').append(Files.getLastModifiedTime(file).toMillis()).append('\n');
        } catch (IOException e) {
            key.append("unreadable\n");
        }
        key.append(plan.provider()).append('\n').append(runtimeVersion).append('\n');
        plan.epDevice().ifPresent(d -> {
            OrtHardwareDevice hardware = d.getDevice();
            key.append(hardware.getVendorId()).append(':').append(hardware.getDeviceId()).append(':').append(hardware.getType()).append('\n');
        });
        String name = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        return root.resolve(plan.provider()).resolve(name + "-" + sha256(key.toString()).substring(0, 16));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + folder + ": " + e);
        }
    }
}
