package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built kestrel.jar as a user runs it: {@code java -jar app/target/kestrel.jar ...} in its own process. */
class KestrelJarIT {

    static final Path JAR = Path.of(System.getProperty("kestrel.jar", "target/kestrel.jar"));

    @TempDir
    Path home;

    @Test
    void askAnswersWithTheBundledDemoModel() throws Exception {
        Result run = run(currentJava(), "ask", "--home", home.toString(), "--greedy", "--no-think", "--json", "Hello");
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).get("text").asText()).startsWith("Hello! I am Kestrel's demo model.");
    }

    @Test
    void anOlderJavaStartsKestrelOnAJava25ItFinds() throws Exception {
        Optional<Path> older = olderJava();
        assumeTrue(older.isPresent(), "no Java older than 25 is installed here");
        Result run = run(older.get(), "ask", "--home", home.toString(), "--model", home.resolve("none").toString(), "hi");
        assertThat(run.err()).isEqualTo("kestrel: model folder '" + home.resolve("none") + "' does not exist\n");
        assertThat(run.status()).isEqualTo(2);
        Result version = run(older.get(), "--version");
        assertThat(version.out()).contains("Java 25");
    }

    private Result run(Path java, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[] out;
        byte[] err;
        try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
            out = stdout.readAllBytes();
            err = stderr.readAllBytes();
        }
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** A JDK older than 25 in /usr/lib/jvm, as the default java of this kind of machine is. */
    private static Optional<Path> olderJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(jvms)) {
            for (Path jdk : homes) {
                Path release = jdk.resolve("release");
                if (Files.isRegularFile(release) && Files.isExecutable(jdk.resolve("bin/java"))) {
                    Properties properties = new Properties();
                    try (InputStream in = Files.newInputStream(release)) {
                        properties.load(in);
                    }
                    String version = properties.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
                    if (Integer.parseInt(version.split("[.+-]")[0]) < 25) {
                        return Optional.of(jdk.resolve("bin/java"));
                    }
                }
            }
        }
        return Optional.empty();
    }

    record Result(int status, String out, String err) {}
}
