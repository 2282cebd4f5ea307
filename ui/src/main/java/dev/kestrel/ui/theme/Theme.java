package dev.kestrel.ui.theme;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import javafx.application.Application;
import javafx.application.ColorScheme;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;

/**
 * The window's look: AtlantaFX's Primer themes as the user-agent stylesheet, light, dark, or
 * following the system's setting as it changes. Kestrel's own stylesheet (kestrel.css) uses the
 * theme's colour names, so it follows too. Call on the JavaFX thread.
 */
public enum Theme {
    SYSTEM("Follow system"),
    LIGHT("Light"),
    DARK("Dark");

    /** The settings key the choice is kept under in the history database. */
    public static final String SETTING = "ui.theme";

    private static final ChangeListener<ColorScheme> FOLLOW = (obs, old, scheme) -> use(scheme == ColorScheme.DARK);
    private static Theme applied;

    private final String label;

    Theme(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The stored name back as a theme; anything unknown follows the system. */
    public static Theme of(Optional<String> stored) {
        return stored.flatMap(name -> Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(name)).findFirst()).orElse(SYSTEM);
    }

    public String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Makes this the look of every window, now and (for SYSTEM) whenever the system switches. */
    public void apply() {
        Platform.getPreferences().colorSchemeProperty().removeListener(FOLLOW);
        applied = this;
        switch (this) {
            case LIGHT -> use(false);
            case DARK -> use(true);
            case SYSTEM -> {
                use(Platform.getPreferences().getColorScheme() == ColorScheme.DARK);
                Platform.getPreferences().colorSchemeProperty().addListener(FOLLOW);
            }
        }
    }

    /** The theme last applied; SYSTEM before any was. */
    public static Theme current() {
        return applied == null ? SYSTEM : applied;
    }

    private static void use(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }
}
