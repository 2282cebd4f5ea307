package dev.kestrel.app.cli;

import dev.kestrel.app.AppExit;
import dev.kestrel.app.AppLogging;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.Failure;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code kestrel} command line (../shared/specs/cli.md). Exit status 0 on success, 2 for bad
 * usage or bad input, 1 for Kestrel's own failures, each with one plain line on stderr.
 */
@Command(name = "kestrel", mixinStandardHelpOptions = true, versionProvider = KestrelCli.Version.class,
        description = "Kestrel: an offline assistant that sees and thinks.",
        subcommands = {AskCommand.class, HistoryCommand.class, ModelsCommand.class, PromptCommand.class, TokenizeCommand.class, DetokenizeCommand.class, DevicesCommand.class, BenchCommand.class, VisionBenchCommand.class, TilesCommand.class})
public final class KestrelCli implements Runnable {

    @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Folder for everything Kestrel writes (default: $KESTREL_HOME, else the platform's data folder).")
    Path home;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Log to the console and print stack traces.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    InputStream in = System.in;

    public static void main(String[] args) {
        AppExit.onSignals();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = run(args, new FileInputStream(FileDescriptor.in), out, err);
        out.flush();
        System.exit(status); // the command's model is closed by now; signals take AppExit's way

    }

    /** Runs one command line with the given streams and returns its exit status; nothing escapes as a stack trace. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        try {
            return execute(args, in, out, err);
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            Failure failure = Failure.of(e);
            err.println("kestrel: " + failure.message() + (debug ? "" : " (run with --debug for details)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return failure.exitStatus();
        }
    }

    private static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
        KestrelCli cli = new KestrelCli();
        cli.in = in;
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println("kestrel: " + e.getMessage() + " (see '" + command + " --help')");
            return Failure.BAD_INPUT;
        });
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            Failure failure = Failure.of(e);
            err.println("kestrel: " + failure.message()
                    + (failure.internal() && !cli.debug ? " (run with --debug for details)" : ""));
            if (cli.debug) {
                e.printStackTrace(err);
            }
            return failure.exitStatus();
        });
        int status = commandLine.execute(args);
        out.flush();
        return status;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The data folder, with logging set up in it; called once a command runs. */
    AppPaths paths() {
        AppPaths paths = AppPaths.resolve(Optional.ofNullable(home));
        AppLogging.configure(paths, debug);
        return paths;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = KestrelCli.class.getPackage().getImplementationVersion();
            return new String[] {"kestrel " + (version == null ? "(development build)" : version),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
