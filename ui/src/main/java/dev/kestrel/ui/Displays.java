package dev.kestrel.ui;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Whether a window can open here: on Linux that needs an X or Wayland display. */
public final class Displays {

    private Displays() {}

    /** Why no window can open, or empty when one can. */
    public static Optional<String> missing() {
        return missing(System.getProperty("os.name", ""), System.getenv());
    }

    static Optional<String> missing(String osName, Map<String, String> env) {
        boolean linux = osName.toLowerCase(Locale.ROOT).contains("linux");
        if (linux && blank(env.get("DISPLAY")) && blank(env.get("WAYLAND_DISPLAY"))) {
            return Optional.of("there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set)");
        }
        return Optional.empty();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
