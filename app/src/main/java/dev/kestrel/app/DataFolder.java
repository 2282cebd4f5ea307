package dev.kestrel.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the user moved the data folder to. The data folder cannot hold its own address, so it is
 * kept as one line in a file in the platform's folder for settings: {@code ~/.config/kestrel/data-folder}
 * on Linux (or under XDG_CONFIG_HOME), {@code ~/Library/Preferences/Kestrel/data-folder} on macOS,
 * {@code %APPDATA%\Kestrel\data-folder} on Windows. The system property {@code kestrel.config} names
 * another folder for that file (tests, portable installs). {@code --home} and KESTREL_HOME still
 * come first ({@link AppPaths#resolve}).
 */
public final class DataFolder {

    static final String FILE = "data-folder";
    public static final String CONFIG_PROPERTY = "kestrel.config";

    private DataFolder() {}

    /** The file that holds the chosen data folder, on this machine. */
    public static Path addressFile() {
        return addressFile(System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")));
    }

    static Path addressFile(Map<String, String> env, String osName, Path userHome) {
        String property = System.getProperty(CONFIG_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).resolve(FILE);
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            return (appData != null ? Path.of(appData, "Kestrel") : userHome.resolve("AppData/Roaming/Kestrel")).resolve(FILE);
        }
        if (os.startsWith("mac")) {
            return userHome.resolve("Library/Preferences/Kestrel").resolve(FILE);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : userHome.resolve(".config")).resolve("kestrel").resolve(FILE);
    }

    /** The folder the user chose, if any; a file that cannot be read counts as none (the default folder opens). */
    static Optional<Path> chosen(Path addressFile) {
        try {
            String line = Files.readString(addressFile, StandardCharsets.UTF_8).strip();
            return line.isEmpty() ? Optional.empty() : Optional.of(Path.of(line));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What decides the data folder instead of the user's choice: KESTREL_HOME, when set. */
    public static Optional<String> fixedBy() {
        String fromEnv = System.getenv(AppPaths.HOME_VARIABLE);
        return fromEnv != null && !fromEnv.isBlank() ? Optional.of(AppPaths.HOME_VARIABLE + " (" + fromEnv + ")") : Optional.empty();
    }

    /** Makes {@code folder} the data folder from the next start on (written whole, then moved into place). */
    public static void choose(Path folder) {
        Path file = addressFile();
        try {
            Files.createDirectories(file.getParent());
            Path part = file.resolveSibling(FILE + ".part");
            Files.writeString(part, folder.toAbsolutePath().normalize() + System.lineSeparator(), StandardCharsets.UTF_8);
            Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AppException("cannot keep the data folder's place in " + file + ": " + Failure.of(e).message());
        }
    }

    /**
     * Makes {@code target} the data folder from the next start on, after copying there what {@code
     * from} holds that cannot be made again: the history (a consistent copy of the open database) and
     * the installed models and provider plug-ins; caches and logs start afresh. A folder that already
     * holds a Kestrel history is taken as it is. Nothing in {@code from} is changed or removed. Returns
     * what was done, for the user.
     */
    public static String moveTo(AppPaths from, dev.kestrel.storage.Database history, Path target) {
        AppPaths to = new AppPaths(target);
        if (to.home().equals(from.home())) {
            return "Kestrel's data is already in " + to.home() + ".";
        }
        if (to.home().startsWith(from.home()) || from.home().startsWith(to.home())) {
            throw new AppException("choose a folder outside " + from.home() + " and not holding it: one cannot be copied into the other");
        }
        if (Files.exists(to.database())) {
            choose(to.home());
            return "Kestrel now uses the history already in " + to.home() + "; the one in " + from.home() + " was left as it was.";
        }
        List<Path> folders = List.of(from.models(), from.home().resolve("providers"));
        long needed = Folders.size(from.database()) + folders.stream().mapToLong(Folders::size).sum();
        try {
            Files.createDirectories(to.home());
            long free = Files.getFileStore(to.home()).getUsableSpace();
            if (free < needed + (64L << 20)) {
                throw new AppException(String.format(java.util.Locale.ROOT,
                        "%s has %.1f GB free, and Kestrel's data needs %.1f GB there; choose another folder or make room first",
                        to.home(), free / 1e9, needed / 1e9));
            }
            Path part = to.home().resolve(to.database().getFileName() + ".part");
            Files.deleteIfExists(part);
            history.copyTo(part);
            for (Path folder : folders) {
                if (Files.isDirectory(folder)) {
                    Folders.copyTree(folder, to.home().resolve(from.home().relativize(folder)));
                }
            }
            Files.move(part, to.database(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AppException("cannot copy Kestrel's data to " + to.home() + ": " + Failure.of(e).message());
        } catch (RuntimeException e) {
            throw e instanceof AppException ? e : new AppException("cannot copy Kestrel's data to " + to.home() + ": " + Failure.of(e).message());
        }
        choose(to.home());
        return "Kestrel's history and models were copied to " + to.home() + ", which is used from now on. The old folder, "
                + from.home() + ", was left as it was; delete it when you no longer need it.";
    }
}
