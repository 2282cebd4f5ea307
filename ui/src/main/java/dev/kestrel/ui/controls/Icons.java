package dev.kestrel.ui.controls;

import javafx.beans.binding.Bindings;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Feather icons on buttons (Ikonli), drawn as a font so that they take the theme's text colour. A
 * button keeps its words: beside the icon, or, for the small buttons on every message, as its
 * tooltip and the name screen readers say.
 */
public final class Icons {

    private Icons() {}

    /** The icon before the button's words. */
    public static <B extends ButtonBase> B beside(B button, Feather icon) {
        button.setGraphic(icon(icon));
        return button;
    }

    /**
     * The icon alone. The words stay the button's accessible name, and the tooltip says the accessible
     * text when the button has one (it may be set later), else the words.
     */
    public static <B extends ButtonBase> B only(B button, Feather icon) {
        button.setGraphic(icon(icon));
        button.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        button.getStyleClass().add(atlantafx.base.theme.Styles.FLAT); // no frame: these sit quietly beside the text
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(Bindings.createStringBinding(
                () -> button.getAccessibleText() != null ? button.getAccessibleText() : button.getText(),
                button.accessibleTextProperty(), button.textProperty()));
        button.setTooltip(tip);
        return button;
    }

    private static FontIcon icon(Feather icon) {
        FontIcon graphic = new FontIcon(icon);
        graphic.getStyleClass().add("icon");
        return graphic;
    }
}
