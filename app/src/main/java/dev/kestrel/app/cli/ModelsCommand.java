package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.app.AppException;
import dev.kestrel.app.library.ModelLibrary;
import dev.kestrel.inference.model.Variant;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kestrel models}: the models in the data folder's models/, pulled, imported, checked and removed. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists, pulls (from Hugging Face), imports, checks and removes the models in Kestrel's data folder.",
        subcommands = {ModelsCommand.CatalogCommand.class, ModelsCommand.ListCommand.class, ModelsCommand.PullCommand.class, ModelsCommand.ImportCommand.class,
                ModelsCommand.RemoveCommand.class, ModelsCommand.VerifyCommand.class})
final class ModelsCommand implements Runnable {

    @ParentCommand
    KestrelCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    ModelLibrary library() {
        return ModelLibrary.standard(cli.paths());
    }

    PrintWriter out() {
        return cli.spec.commandLine().getOut();
    }

    PrintWriter err() {
        return cli.spec.commandLine().getErr();
    }

    void printInstalled(ModelLibrary.Installed installed) {
        out().println("installed " + installed.name() + " (" + ModelLibrary.megabytes(installed.bytes()) + ") in " + installed.folder());
    }

    /** A {@code kestrel models} subcommand: it reaches the library and the console through {@link #models}. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        ModelsCommand models;
    }

    @Command(name = "catalog", mixinStandardHelpOptions = true, description = "Lists the models Kestrel knows, to pull by name.")
    static final class CatalogCommand extends Subcommand {
        @Option(names = "--sizes", description = "Ask Hugging Face how much each model would download (one listing each, nothing fetched).")
        boolean sizes;

        @Override
        public Integer call() {
            java.util.Set<String> installed = new java.util.HashSet<>();
            ModelLibrary library = models.library();
            library.installed().forEach(m -> installed.add(m.source()));
            for (dev.kestrel.app.library.ModelCatalog.Entry entry : dev.kestrel.app.library.ModelCatalog.entries()) {
                String can = entry.sees() ? "sees" : entry.thinks() ? "thinks" : "text";
                String size = "";
                if (sizes) {
                    try {
                        size = String.format(Locale.ROOT, "%10s  ", ModelLibrary.megabytes(library.downloadSize(entry.repo())));
                    } catch (AppException e) {
                        size = String.format(Locale.ROOT, "%10s  ", "?");
                        models.err().println("kestrel: no size for " + entry.name() + ": " + e.getMessage());
                    }
                }
                models.out().printf(Locale.ROOT, "%-24s %-7s %s%-38s %s%s%n", entry.name(), can, size, entry.repo(), entry.about(),
                        installed.contains("hf:" + entry.repo()) ? " (installed)" : "");
            }
            models.out().println("Pull one with: kestrel models pull NAME (or any owner/name on Hugging Face in the onnx-community layout, or the https address of a model folder's .zip)");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the installed models, and pulls not finished yet.")
    static final class ListCommand extends Subcommand {

        @Option(names = "--json", description = "One JSON object a line instead of text.")
        boolean json;

        @Override
        public Integer call() {
            ModelLibrary library = models.library();
            PrintWriter out = models.out();
            for (ModelLibrary.Installed m : library.installed()) {
                if (json) {
                    ObjectNode line = JsonLines.MAPPER.createObjectNode().put("name", m.name()).put("state", "installed")
                            .put("folder", m.folder().toString()).put("bytes", m.bytes()).put("source", m.source());
                    out.println(line);
                } else {
                    out.printf(Locale.ROOT, "%-32s %10s  %s%n", m.name(), ModelLibrary.megabytes(m.bytes()), m.source().isEmpty() ? m.folder() : m.source());
                }
            }
            for (ModelLibrary.Incomplete m : library.incomplete()) {
                if (json) {
                    out.println(JsonLines.MAPPER.createObjectNode().put("name", m.name()).put("state", "incomplete")
                            .put("bytes", m.done()).put("total_bytes", m.total()).put("source", m.source()));
                } else {
                    out.printf(Locale.ROOT, "%-32s %10s  %s (incomplete, %s of %s; kestrel models pull %s continues it)%n", m.name(),
                            ModelLibrary.megabytes(m.done()), m.source(), ModelLibrary.megabytes(m.done()), ModelLibrary.megabytes(m.total()), ModelLibrary.specOf(m.source()));
                }
            }
            return 0;
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = "Downloads a model from Hugging Face (onnx-community layout) into models/NAME; run it again to continue one that stopped.")
    static final class PullCommand extends Subcommand {

        @Parameters(paramLabel = "MODEL", description = "A name from kestrel models catalog, owner/name[@revision] on Hugging Face or its page's address, "
                + "e.g. onnx-community/Qwen3-0.6B-ONNX; or the https address of a model folder's .zip, optionally ending #sha256=HEX")
        String repo;

        @Option(names = "--variant", paramLabel = "NAME",
                description = "Weights to fetch: q4, fp32, fp16, int8, q4f16, ... (default: the best for the device, "
                        + "q4 first on the CPU, q4f16 on CUDA and DirectML GPUs, fp16 on NPUs and CoreML).")
        String variant;

        @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
                description = "The device the model is for, when no --variant is given: auto (what --device auto runs on here), cpu, gpu or npu.")
        ModelOptions.Device device;

        @Override
        public Integer call() {
            List<Variant> preference = variant == null ? ModelLibrary.preferenceFor(device.kind(), models.cli.paths())
                    : List.of(Variant.fromLabel(variant).orElseThrow(() -> new AppException("unknown --variant '" + variant + "'")));
            AtomicBoolean stop = new AtomicBoolean();
            Thread pause = new Thread(() -> stop.set(true), "kestrel-pull-stop");
            Runtime.getRuntime().addShutdownHook(pause); // Ctrl+C leaves the parts, to be continued
            long started = System.nanoTime();
            long[] lastShown = {0};
            PrintWriter err = models.err();
            ModelLibrary.Installed installed;
            try {
                installed = models.library().pull(repo, preference, (done, total) -> {
                    long now = System.nanoTime();
                    synchronized (lastShown) {
                        if (now - lastShown[0] > 1_000_000_000L || (total > 0 && done == total)) {
                            lastShown[0] = now;
                            double seconds = Math.max(1e-3, (now - started) / 1e9);
                            err.printf(Locale.ROOT, "%s: %s of %s (%.1f MB/s)%n", repo, ModelLibrary.megabytes(done), total < 0 ? "?" : ModelLibrary.megabytes(total),
                                    done / 1e6 / seconds);
                        }
                    }
                }, stop);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(pause);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl+C: the hook is running
                }
            }
            models.printInstalled(installed);
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Copies a model folder (or unpacks its .zip) from disk into models/NAME, after checking it.")
    static final class ImportCommand extends Subcommand {

        @Parameters(paramLabel = "DIR|ZIP", description = "The model folder, or a .zip holding it.")
        Path folder;

        @Option(names = "--name", paramLabel = "NAME", description = "The name to install it as (default: the folder's name).")
        String name;

        @Override
        public Integer call() {
            ModelLibrary.Installed installed = models.library().importFolder(folder, Optional.ofNullable(name));
            models.printInstalled(installed);
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes an installed model, or an unfinished pull.")
    static final class RemoveCommand extends Subcommand {

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            models.library().remove(name);
            models.out().println("removed " + name);
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks an installed model: files against their checksums, the folder, and its graphs loaded on the CPU.")
    static final class VerifyCommand extends Subcommand {

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            List<String> problems = models.library().verify(name);
            if (problems.isEmpty()) {
                models.out().println(name + ": ok");
                return 0;
            }
            problems.forEach(problem -> models.out().println(name + ": " + problem));
            models.err().println("kestrel: " + name + " has " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                    + "; pull or import it again");
            return 2;
        }
    }
}
