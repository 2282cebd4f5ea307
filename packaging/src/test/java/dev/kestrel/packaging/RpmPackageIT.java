package dev.kestrel.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .rpm the build made where rpmbuild is installed (the linux-rpm profile): unpacked, its
 * launcher answers with the bundled model; its scripts leave xdg-desktop-menu alone; where the
 * test may, rpm installs and removes it for real (rpm keeps its own database, beside dpkg's).
 */
@EnabledOnOs(OS.LINUX)
@EnabledIf("built")
class RpmPackageIT {

    @TempDir
    static Path root;

    static Path rpm;

    static boolean built() {
        return Files.isExecutable(Path.of("/usr/bin/rpmbuild"));
    }

    @BeforeAll
    static void unpack() throws Exception {
        rpm = Installers.file(".rpm");
        Path archive = root.resolve("kestrel.tgz");
        Run converted = Run.of(Map.of(), Duration.ofMinutes(3), "sh", "-c", "rpm2archive - < \"$0\" > \"$1\"", rpm.toString(), archive.toString());
        assertThat(converted.status()).as(converted.err()).isZero();
        Run unpacked = Run.of(Map.of(), Duration.ofMinutes(2), "tar", "-xzf", archive.toString(), "-C", root.toString());
        assertThat(unpacked.status()).as(unpacked.err()).isZero();
    }

    @Test
    void theLauncherAnswersWithTheBundledModel(@TempDir Path home) throws Exception {
        assertThat(root.resolve("opt/kestrel/lib/kestrel-kestrel.desktop")).content().contains("Name=Kestrel");
        Installers.answersWithTheBundledModel(root.resolve("opt/kestrel/bin/kestrel"), home);
    }

    @Test
    void itsScriptsPutTheMenuEntryInPlaceWithoutXdgDesktopMenu() throws Exception {
        Run scripts = Run.of(Map.of(), Duration.ofMinutes(1), "rpm", "-qp", "--scripts", rpm.toString());
        assertThat(scripts.status()).as(scripts.err()).isZero();
        assertThat(scripts.out()).contains(Installers.MENU_ENTRY.toString()).doesNotContain("xdg-desktop-menu");
    }

    @Test
    void rpmInstallsItAndRemovesItKeepingTheUsersHistory(@TempDir Path user) throws Exception {
        Installers.assumeRootAndNotInstalled();
        // --nodeps: on a Debian machine rpm's database knows none of the libraries dpkg installed.
        Installers.installRunAndRemove(user, List.of("rpm", "-i", "--nodeps", rpm.toString()), List.of("rpm", "-e", "kestrel"),
                List.of("sh", "-c", "rpm -e kestrel 2>/dev/null; true"));
    }
}
