package dev.kestrel.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the .deb and .rpm tests check alike. */
final class Installers {

    static final Path INSTALLED_LAUNCHER = Path.of("/opt/kestrel/bin/kestrel");
    static final Path MENU_ENTRY = Path.of("/usr/share/applications/kestrel.desktop");

    private Installers() {}

    /** The installer the build made whose name ends with {@code suffix}. */
    static Path file(String suffix) throws IOException {
        Path installers = Path.of(System.getProperty("kestrel.installers"));
        try (Stream<Path> files = Files.list(installers)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + suffix + " in " + installers));
        }
    }

    /** {@code kestrel ask} through {@code launcher}, with no model chosen, gets the bundled demo model's self-introduction. */
    static void answersWithTheBundledModel(Path launcher, Path home) throws Exception {
        Run run = Run.of(Map.of("KESTREL_HOME", home.toString()), Duration.ofMinutes(2),
                launcher.toString(), "ask", "--greedy", "--no-think", "--json", "Hello");

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).get("text").asText()).startsWith("Hello! I am Kestrel's demo model.");
        assertThat(home.resolve("logs")).isDirectory();
    }

    /**
     * Skips a test that installs Kestrel system-wide unless it runs as root and nothing is in
     * {@code /opt/kestrel} already: an installed Kestrel is left alone.
     */
    static void assumeRootAndNotInstalled() throws Exception {
        Run whoami = Run.of(Map.of(), Duration.ofSeconds(10), "id", "-u");
        assumeTrue(whoami.out().strip().equals("0"), "installing a package needs root");
        assumeTrue(!Files.exists(Path.of("/opt/kestrel")), "Kestrel is installed on this machine already; it is left alone");
    }

    /**
     * Installs the package with {@code install}; its launcher answers and keeps its data in the
     * user's usual place (XDG); {@code remove} takes the package and its menu entry away while the
     * user's history stays. {@code cleanUp} runs at the end, whatever happened.
     */
    static void installRunAndRemove(Path user, List<String> install, List<String> remove, List<String> cleanUp) throws Exception {
        try {
            Run installed = Run.of(Map.of(), Duration.ofMinutes(3), install.toArray(String[]::new));
            assertThat(installed.status()).as(installed.out() + installed.err()).isZero();
            assertThat(INSTALLED_LAUNCHER).isExecutable();
            assertThat(MENU_ENTRY).content().contains("Name=Kestrel", "Exec=" + INSTALLED_LAUNCHER);

            // No KESTREL_HOME: the data goes where the OS keeps a user's application data.
            Path data = user.resolve("share");
            Map<String, String> env = Map.of("XDG_DATA_HOME", data.toString(), "XDG_CONFIG_HOME", user.resolve("config").toString());
            Path history = data.resolve("kestrel/kestrel.db");
            Run ask = Run.of(env, Duration.ofMinutes(2),
                    INSTALLED_LAUNCHER.toString(), "ask", "--greedy", "--max-tokens", "8", "--db", history.toString(), "hello");
            assertThat(ask.status()).as(ask.err()).isZero();
            assertThat(ask.out()).isNotBlank();
            Run list = Run.of(env, Duration.ofMinutes(1), INSTALLED_LAUNCHER.toString(), "history", "list");
            assertThat(list.status()).as(list.err()).isZero();
            assertThat(list.out()).contains("hello");
            byte[] before = Files.readAllBytes(history);

            Run removed = Run.of(Map.of(), Duration.ofMinutes(2), remove.toArray(String[]::new));
            assertThat(removed.status()).as(removed.out() + removed.err()).isZero();
            assertThat(Path.of("/opt/kestrel")).doesNotExist();
            assertThat(MENU_ENTRY).doesNotExist();
            assertThat(history).as("the user's history outlives the package").hasBinaryContent(before);
        } finally {
            Run.of(Map.of(), Duration.ofMinutes(2), cleanUp.toArray(String[]::new));
        }
    }
}
