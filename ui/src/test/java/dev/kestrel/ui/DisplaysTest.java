package dev.kestrel.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DisplaysTest {

    @Test
    void linuxNeedsAnXOrWaylandDisplay() {
        assertThat(Displays.missing("Linux", Map.of())).hasValueSatisfying(reason -> assertThat(reason).contains("DISPLAY"));
        assertThat(Displays.missing("Linux", Map.of("DISPLAY", ":99"))).isEmpty();
        assertThat(Displays.missing("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0"))).isEmpty();
        assertThat(Displays.missing("Windows 11", Map.of())).isEmpty();
    }
}
