package dev.kestrel.inference.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtHardwareDevice;
import ai.onnxruntime.OrtProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The execution providers and devices ONNX Runtime finds here, through its device API
 * ({@code getEpDevices}), after registering any plug-in provider libraries (QNN, OpenVINO,
 * VitisAI, DirectML builds ...) found in the plug-in folders; and the choice for a request.
 */
public final class Devices {

    /**
     * One execution provider on one device: from the device API ({@code epDevice}), or a provider
     * built into this ONNX Runtime that is enabled through its own session option ({@code builtIn}:
     * CUDA, CoreML, DirectML).
     */
    public record Found(String provider, DeviceKind kind, String vendor, Optional<OrtEpDevice> epDevice, Optional<OrtProvider> builtIn) {

        public Found(String provider, DeviceKind kind, String vendor, Optional<OrtEpDevice> epDevice) {
            this(provider, kind, vendor, epDevice, Optional.empty());
        }

        public String describe() {
            return String.format(Locale.ROOT, "%-4s %s%s", kind.label(), provider, vendor.isBlank() ? "" : " (" + vendor + ")");
        }
    }

    /**
     * Where a model will run, and why not where it was asked to, if so; and where graphs compiled for
     * that device are kept ({@link CompiledGraphs}), if anywhere.
     */
    public record Plan(String provider, DeviceKind kind, Optional<OrtEpDevice> epDevice, Optional<OrtProvider> builtIn,
            Optional<String> fallbackReason, Optional<Path> compiledGraphs) {
        public static final Plan CPU =
                new Plan(OrtRuntime.CPU_PROVIDER, DeviceKind.CPU, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        public Plan(String provider, DeviceKind kind, Optional<OrtEpDevice> epDevice, Optional<OrtProvider> builtIn,
                Optional<String> fallbackReason) {
            this(provider, kind, epDevice, builtIn, fallbackReason, Optional.empty());
        }

        Plan fallBack(String reason) {
            return new Plan(OrtRuntime.CPU_PROVIDER, DeviceKind.CPU, Optional.empty(), Optional.empty(), Optional.of(reason));
        }

        /** The same plan, keeping graphs compiled for its device in {@code folder}. */
        public Plan withCompiledGraphs(Optional<Path> folder) {
            return new Plan(provider, kind, epDevice, builtIn, fallbackReason, folder);
        }

        boolean usesAccelerator() {
            return epDevice.isPresent() || builtIn.isPresent();
        }
    }

    private static final System.Logger LOG = System.getLogger(Devices.class.getName());
    private static volatile List<Found> found;
    private static volatile List<String> pluginProblems = List.of();

    private Devices() {}

    /** The names of the providers this ONNX Runtime was built with (only the CPU's in the default Maven build). */
    public static List<String> builtInProviders() {
        return OrtEnvironment.getAvailableProviders().stream().map(OrtProvider::getName).toList();
    }

    /** Every provider-and-device pair found, plug-ins registered first (once per process). */
    public static synchronized List<Found> discover(List<Path> pluginFolders) {
        if (found != null) {
            return found;
        }
        List<String> problems = new ArrayList<>();
        for (Path folder : pluginFolders) {
            for (Path library : libraries(folder)) {
                String name = library.getFileName().toString();
                try {
                    OrtRuntime.environment().registerExecutionProviderLibrary(name, library.toString());
                    LOG.log(System.Logger.Level.INFO, "registered execution provider library {0}", library);
                } catch (OrtException e) {
                    problems.add(name + ": " + OrtRuntime.reason(e));
                }
            }
        }
        List<Found> list = new ArrayList<>();
        try {
            for (OrtEpDevice device : OrtRuntime.environment().getEpDevices()) {
                OrtHardwareDevice hardware = device.getDevice();
                DeviceKind kind = switch (hardware.getType()) {
                    case GPU -> DeviceKind.GPU;
                    case NPU -> DeviceKind.NPU;
                    default -> DeviceKind.CPU;
                };
                list.add(new Found(device.getEpName(), kind, hardware.getVendor(), Optional.of(device)));
            }
        } catch (OrtException e) {
            problems.add("listing devices: " + OrtRuntime.reason(e));
        }
        for (OrtProvider provider : OrtEnvironment.getAvailableProviders()) {
            DeviceKind kind = switch (provider) {
                case CUDA, DIRECT_ML, ROCM, CORE_ML -> DeviceKind.GPU;
                default -> null;
            };
            if (kind != null && list.stream().noneMatch(f -> f.provider().equals(provider.getName()))) {
                list.add(new Found(provider.getName(), kind, "", Optional.empty(), Optional.of(provider)));
            }
        }
        pluginProblems = List.copyOf(problems);
        found = List.copyOf(list);
        return found;
    }

    /** Plug-in libraries that would not register, with ONNX Runtime's reason. */
    public static List<String> pluginProblems() {
        return pluginProblems;
    }

    /** Where a model asked to run on {@code requested} runs: the best match found, or the CPU with the reason. */
    public static Plan plan(DeviceKind requested, List<Found> found) {
        List<DeviceKind> order = switch (requested) {
            case AUTO -> List.of(DeviceKind.NPU, DeviceKind.GPU);
            case GPU -> List.of(DeviceKind.GPU);
            case NPU -> List.of(DeviceKind.NPU);
            case CPU -> List.of();
        };
        for (DeviceKind kind : order) {
            Optional<Found> match = found.stream().filter(f -> f.kind() == kind && !f.provider().equals(OrtRuntime.CPU_PROVIDER)).findFirst();
            if (match.isPresent()) {
                return new Plan(match.get().provider(), kind, match.get().epDevice(), match.get().builtIn(), Optional.empty());
            }
        }
        if (requested == DeviceKind.GPU || requested == DeviceKind.NPU) {
            return Plan.CPU.fallBack("no " + requested.label() + " execution provider was found (found: "
                    + String.join(", ", found.stream().map(Found::provider).distinct().toList())
                    + "); add a provider library to the providers folder to use one");
        }
        return Plan.CPU;
    }

    private static List<Path> libraries(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> {
                String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return name.contains("onnxruntime_providers_") && (name.endsWith(".so") || name.endsWith(".dll") || name.endsWith(".dylib"))
                        && !name.contains("providers_shared");
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
