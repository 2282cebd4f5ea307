package dev.kestrel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppPathsTest {

    static final Path USER = Path.of("/home/ada");

    @Test
    void theHomeOptionWinsOverTheEnvironment() {
        assertThat(AppPaths.resolve(Optional.of(Path.of("/data/k")), Map.of("KESTREL_HOME", "/env/k"), "Linux", USER).home())
                .isEqualTo(Path.of("/data/k"));
        assertThat(AppPaths.resolve(Optional.empty(), Map.of("KESTREL_HOME", "/env/k"), "Linux", USER).home())
                .isEqualTo(Path.of("/env/k"));
    }

    @Test
    void eachPlatformHasItsUsualPlace() {
        assertThat(AppPaths.resolve(Optional.empty(), Map.of(), "Linux", USER).home()).isEqualTo(Path.of("/home/ada/.local/share/kestrel"));
        assertThat(AppPaths.resolve(Optional.empty(), Map.of("XDG_DATA_HOME", "/xdg"), "Linux", USER).home())
                .isEqualTo(Path.of("/xdg/kestrel"));
        assertThat(AppPaths.resolve(Optional.empty(), Map.of(), "Mac OS X", USER).home())
                .isEqualTo(Path.of("/home/ada/Library/Application Support/Kestrel"));
        assertThat(AppPaths.resolve(Optional.empty(), Map.of("APPDATA", "/appdata"), "Windows 11", USER).home())
                .isEqualTo(Path.of("/appdata/Kestrel"));
    }

    @Test
    void aFolderTheUserChoseComesAfterTheOptionAndTheEnvironment(@TempDir Path config) throws Exception {
        String before = System.getProperty(DataFolder.CONFIG_PROPERTY);
        System.setProperty(DataFolder.CONFIG_PROPERTY, config.toString());
        try {
            assertThat(AppPaths.resolve(Optional.empty(), Map.of(), "Linux", USER).home()).isEqualTo(Path.of("/home/ada/.local/share/kestrel"));
            DataFolder.choose(Path.of("/mnt/big/kestrel"));
            assertThat(config.resolve("data-folder")).content().isEqualToIgnoringNewLines("/mnt/big/kestrel");
            assertThat(AppPaths.resolve(Optional.empty(), Map.of(), "Linux", USER).home()).isEqualTo(Path.of("/mnt/big/kestrel"));
            assertThat(AppPaths.resolve(Optional.empty(), Map.of("KESTREL_HOME", "/env/k"), "Linux", USER).home()).isEqualTo(Path.of("/env/k"));
            assertThat(AppPaths.resolve(Optional.of(Path.of("/data/k")), Map.of(), "Linux", USER).home()).isEqualTo(Path.of("/data/k"));
            java.nio.file.Files.writeString(config.resolve("data-folder"), "  \n");
            assertThat(AppPaths.resolve(Optional.empty(), Map.of(), "Linux", USER).home()).as("an empty file is no choice")
                    .isEqualTo(Path.of("/home/ada/.local/share/kestrel"));
        } finally {
            if (before == null) {
                System.clearProperty(DataFolder.CONFIG_PROPERTY);
            } else {
                System.setProperty(DataFolder.CONFIG_PROPERTY, before);
            }
        }
    }

    @Test
    void theAddressFileIsInThePlatformsFolderForSettingsOutsideTheDataFolder() {
        String before = System.getProperty(DataFolder.CONFIG_PROPERTY);
        System.clearProperty(DataFolder.CONFIG_PROPERTY);
        try {
            assertThat(DataFolder.addressFile(Map.of(), "Linux", USER)).isEqualTo(Path.of("/home/ada/.config/kestrel/data-folder"));
            assertThat(DataFolder.addressFile(Map.of("XDG_CONFIG_HOME", "/cfg"), "Linux", USER)).isEqualTo(Path.of("/cfg/kestrel/data-folder"));
            assertThat(DataFolder.addressFile(Map.of(), "Mac OS X", USER))
                    .isEqualTo(Path.of("/home/ada/Library/Preferences/Kestrel/data-folder"));
            assertThat(DataFolder.addressFile(Map.of("APPDATA", "/appdata"), "Windows 11", USER)).isEqualTo(Path.of("/appdata/Kestrel/data-folder"));
        } finally {
            if (before != null) {
                System.setProperty(DataFolder.CONFIG_PROPERTY, before);
            }
        }
    }

    @Test
    void everythingLivesUnderHome() {
        AppPaths paths = new AppPaths(Path.of("/k"));
        assertThat(paths.database()).isEqualTo(Path.of("/k/kestrel.db"));
        assertThat(java.util.List.of(paths.models(), paths.cache(), paths.logs())).allMatch(p -> p.startsWith("/k"));
    }
}
