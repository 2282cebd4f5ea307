package dev.kestrel.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where Kestrel writes: one folder holding the history database, caches, downloaded models, logs
 * and settings. {@code --home} or {@code KESTREL_HOME} moves it; otherwise it is the folder the user
 * chose in the settings ({@link DataFolder}), or else the platform's usual place for application data.
 */
public record AppPaths(Path home) {

    public static final String HOME_VARIABLE = "KESTREL_HOME";

    public AppPaths {
        home = home.toAbsolutePath().normalize();
    }

    /** The folder from {@code --home}, else KESTREL_HOME, else the one the user chose, else the platform default. */
    public static AppPaths resolve(Optional<Path> override) {
        return resolve(override, System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")));
    }

    static AppPaths resolve(Optional<Path> override, Map<String, String> env, String osName, Path userHome) {
        if (override.isPresent()) {
            return new AppPaths(override.get());
        }
        String fromEnv = env.get(HOME_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new AppPaths(Path.of(fromEnv));
        }
        Optional<Path> chosen = DataFolder.chosen(DataFolder.addressFile(env, osName, userHome));
        if (chosen.isPresent()) {
            return new AppPaths(chosen.get());
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            return new AppPaths(appData != null ? Path.of(appData, "Kestrel") : userHome.resolve("AppData/Roaming/Kestrel"));
        }
        if (os.startsWith("mac")) {
            return new AppPaths(userHome.resolve("Library/Application Support/Kestrel"));
        }
        String xdg = env.get("XDG_DATA_HOME");
        return new AppPaths((xdg != null && !xdg.isBlank() ? Path.of(xdg) : userHome.resolve(".local/share")).resolve("kestrel"));
    }

    public Path database() {
        return home.resolve("kestrel.db");
    }

    public Path models() {
        return home.resolve("models");
    }

    public Path cache() {
        return home.resolve("cache");
    }

    /** Encoded images kept between runs, so an image asked about again costs no vision work. */
    public Path imageCache() {
        return cache().resolve("image-embeddings");
    }

    /** Graphs compiled for an accelerator (NPUs' EP context), per model file and device. */
    public Path compiledGraphs() {
        return cache().resolve("compiled-graphs");
    }

    public Path logs() {
        return home.resolve("logs");
    }

    /**
     * Folders searched for execution-provider plug-in libraries (onnxruntime_providers_*.so, .dll,
     * .dylib): {@code providers} in the data folder, the one beside the installed app, and those in
     * KESTREL_EP_PATH.
     */
    public List<Path> providerFolders() {
        List<Path> folders = new ArrayList<>(List.of(home.resolve("providers")));
        BundledModels.root().ifPresent(models -> folders.add(models.resolveSibling("providers")));
        String extra = System.getenv("KESTREL_EP_PATH");
        if (extra != null && !extra.isBlank()) {
            for (String part : extra.split(java.io.File.pathSeparator)) {
                folders.add(Path.of(part));
            }
        }
        return folders;
    }
}
