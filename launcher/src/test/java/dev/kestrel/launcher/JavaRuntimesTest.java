package dev.kestrel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimesTest {

    @TempDir
    Path dir;

    @Test
    void readsTheFeatureVersionFromTheReleaseFile() throws IOException {
        assertThat(JavaRuntimes.readFeature(jdk("a", "25.0.1", true))).contains(25);
        assertThat(JavaRuntimes.readFeature(jdk("b", "1.8.0_392", true))).contains(8);
        assertThat(JavaRuntimes.readFeature(jdk("c", "26-ea", true))).contains(26);
        assertThat(JavaRuntimes.readFeature(dir.resolve("no-such-jdk"))).isEmpty();
    }

    @Test
    void picksTheNewestRuntimeThatIsNewEnoughAndRunnable() throws IOException {
        Path old = jdk("old", "17.0.15", true);
        Path current = jdk("current", "25.0.1", true);
        Path newer = jdk("newer", "26", true);
        Path broken = jdk("broken", "27", false);

        JavaRuntimes runtimes = JavaRuntimes.of(List.of(old, current, newer, broken));

        assertThat(runtimes.newest(25)).map(JavaRuntimes.Runtime::home).contains(newer);
        assertThat(runtimes.newest(28)).isEmpty();
        assertThat(JavaRuntimes.of(List.of(old)).newest(25)).isEmpty();
    }

    private Path jdk(String name, String version, boolean withJava) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        if (withJava) {
            Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
            Files.writeString(java, "#!/bin/sh\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }
}
