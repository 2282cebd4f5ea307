package dev.kestrel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
    void everythingLivesUnderHome() {
        AppPaths paths = new AppPaths(Path.of("/k"));
        assertThat(paths.database()).isEqualTo(Path.of("/k/kestrel.db"));
        assertThat(java.util.List.of(paths.models(), paths.cache(), paths.logs())).allMatch(p -> p.startsWith("/k"));
    }
}
