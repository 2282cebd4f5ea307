package dev.kestrel.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Installed Java runtimes, found where JDKs usually live: JAVA_HOME, the folder holding the running
 * JVM, /usr/lib/jvm, SDKMAN, IntelliJ's ~/.jdks, macOS's JavaVirtualMachines and the usual Windows
 * vendor folders. A runtime's version comes from its {@code release} file, as the JDK writes it.
 */
final class JavaRuntimes {

    record Runtime(Path home, int feature) {
        Path javaExecutable() {
            Path unix = home.resolve("bin").resolve("java");
            return Files.isExecutable(unix) ? unix : home.resolve("bin").resolve("java.exe");
        }
    }

    private final List<Runtime> runtimes;

    private JavaRuntimes(List<Runtime> runtimes) {
        this.runtimes = runtimes;
    }

    static JavaRuntimes discover() {
        return of(candidateHomes());
    }

    static JavaRuntimes of(Iterable<Path> homes) {
        List<Runtime> found = new ArrayList<>();
        for (Path home : homes) {
            readFeature(home).ifPresent(feature -> found.add(new Runtime(home, feature)));
        }
        return new JavaRuntimes(found);
    }

    /** The newest runtime of at least {@code minimumFeature}, if any. */
    Optional<Runtime> newest(int minimumFeature) {
        return runtimes.stream()
                .filter(r -> r.feature() >= minimumFeature)
                .filter(r -> Files.isExecutable(r.javaExecutable()))
                .max(Comparator.comparingInt(Runtime::feature));
    }

    /** The feature version ("25" of JAVA_VERSION="25.0.1") from a JDK's release file. */
    static Optional<Integer> readFeature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(release)) {
            properties.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "").trim();
        if (version.startsWith("1.")) {
            version = version.substring(2);
        }
        String feature = version.split("[.+\\-_]", 2)[0];
        try {
            return Optional.of(Integer.parseInt(feature));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Set<Path> candidateHomes() {
        Set<Path> homes = new LinkedHashSet<>();
        for (String variable : List.of("KESTREL_JAVA_HOME", "JAVA_HOME")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                homes.add(Path.of(value));
            }
        }
        Path userHome = Path.of(System.getProperty("user.home"));
        Path runningHome = Path.of(System.getProperty("java.home"));
        List<Path> parents = new ArrayList<>();
        if (runningHome.getParent() != null) {
            parents.add(runningHome.getParent());
        }
        parents.addAll(List.of(
                Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"), Path.of("/opt"),
                userHome.resolve(".sdkman/candidates/java"), userHome.resolve(".jdks"),
                Path.of("/Library/Java/JavaVirtualMachines"),
                userHome.resolve("Library/Java/JavaVirtualMachines")));
        for (String programFiles : List.of("ProgramFiles", "ProgramW6432")) {
            String value = System.getenv(programFiles);
            if (value != null) {
                for (String vendor : List.of("Java", "Eclipse Adoptium", "Zulu", "Microsoft", "Amazon Corretto")) {
                    parents.add(Path.of(value, vendor));
                }
            }
        }
        for (Path parent : parents) {
            homes.addAll(children(parent));
        }
        return homes;
    }

    private static List<Path> children(Path parent) {
        List<Path> result = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return result;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                result.add(entry);
                // macOS bundles keep the home two levels down.
                Path macHome = entry.resolve("Contents").resolve("Home");
                if (Files.isDirectory(macHome)) {
                    result.add(macHome);
                }
            }
        } catch (IOException ignored) {
            // An unreadable folder just holds no candidates.
        }
        return result;
    }
}
