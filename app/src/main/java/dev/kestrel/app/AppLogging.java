package dev.kestrel.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Kestrel's logs (System.Logger, and SLF4J from libraries, both end in java.util.logging) go to
 * {@code logs/kestrel.log} under the data folder; the console gets them only with {@code --debug},
 * so that stderr carries nothing but the one line a failure prints.
 */
public final class AppLogging {

    private AppLogging() {}

    public static void configure(AppPaths paths, boolean debug) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(debug ? Level.FINE : Level.INFO);
        if (debug) {
            Handler console = new ConsoleHandler();
            console.setLevel(Level.FINE);
            root.addHandler(console);
        }
        try {
            Path logs = Files.createDirectories(paths.logs());
            FileHandler file = new FileHandler(logs.resolve("kestrel%g.log").toString(), 2_000_000, 3, true);
            file.setFormatter(new SimpleFormatter());
            root.addHandler(file);
        } catch (IOException | SecurityException e) {
            // No log file (read-only or full disk) must not stop Kestrel; with --debug the console still has them.
        }
    }
}
