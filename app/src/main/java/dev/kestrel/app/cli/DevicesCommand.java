package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.app.AppPaths;
import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.runtime.DeviceKind;
import dev.kestrel.inference.runtime.Devices;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kestrel devices}: the execution providers and devices found, and what --device auto would use. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Lists the execution providers and devices ONNX Runtime finds, and which one --device auto would choose.")
final class DevicesCommand implements Callable<Integer> {

    @ParentCommand
    KestrelCli cli;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        AppPaths paths = cli.paths();
        List<Path> folders = paths.providerFolders();
        List<Devices.Found> found = Devices.discover(folders);
        Devices.Plan auto = Devices.plan(DeviceKind.AUTO, found);
        PrintWriter out = cli.spec.commandLine().getOut();
        if (json) {
            ObjectNode root = JsonLines.MAPPER.createObjectNode();
            ArrayNode built = root.putArray("built_in_providers");
            Devices.builtInProviders().forEach(built::add);
            ArrayNode devices = root.putArray("devices");
            for (Devices.Found f : found) {
                devices.addObject().put("provider", f.provider()).put("kind", f.kind().label()).put("vendor", f.vendor());
            }
            ArrayNode searched = root.putArray("plugin_folders");
            folders.forEach(f -> searched.add(f.toString()));
            ArrayNode problems = root.putArray("plugin_problems");
            Devices.pluginProblems().forEach(problems::add);
            ObjectNode chosen = root.putObject("auto").put("provider", auto.provider()).put("kind", auto.kind().label());
            ArrayNode variants = chosen.putArray("variants");
            EngineOptions.preference(auto).forEach(v -> variants.add(v.label()));
            out.println(JsonLines.write(root));
        } else {
            out.println("Execution providers built in: " + String.join(", ", Devices.builtInProviders()));
            out.println("Devices found:");
            found.forEach(f -> out.println("  " + f.describe()));
            out.println("Plug-in provider folders searched:");
            folders.forEach(f -> out.println("  " + f));
            Devices.pluginProblems().forEach(p -> out.println("  not loaded: " + p));
            out.println("--device auto uses: " + auto.provider() + " (" + auto.kind().label() + ")");
            out.println("Weights it prefers, best first: "
                    + String.join(", ", EngineOptions.preference(auto).stream().map(Variant::label).toList()));
        }
        out.flush();
        return 0;
    }
}
