package dev.kestrel.ui;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;

/** What a screen reader would find unnamed in a window: controls a user can reach with no name to say. */
final class Accessibility {

    private Accessibility() {}

    /**
     * The controls under {@code root} that are shown, take focus, and have no accessible text, no
     * words of their own and no label that names them; each as its class and id.
     */
    static List<String> unnamed(Parent root) {
        List<Node> all = new ArrayList<>();
        collect(root, all);
        Set<Node> labelled = new HashSet<>();
        for (Node node : all) {
            if (node instanceof Label label && label.getLabelFor() != null) {
                labelled.add(label.getLabelFor());
            }
        }
        List<String> unnamed = new ArrayList<>();
        for (Node node : all) {
            if (!(node instanceof Control control) || !control.isFocusTraversable() || !visible(control)) {
                continue;
            }
            boolean named = control.getAccessibleText() != null && !control.getAccessibleText().isBlank()
                    || control instanceof Labeled labeled && !(control instanceof Label) && labeled.getText() != null
                            && !labeled.getText().isBlank()
                    || labelled.contains(control);
            if (!named && !(control instanceof TextInputControl input && input.getParent() instanceof Control)) {
                unnamed.add(control.getClass().getSimpleName() + (control.getId() == null ? "" : "#" + control.getId()));
            }
        }
        return unnamed;
    }

    private static boolean visible(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    private static void collect(Node node, List<Node> into) {
        into.add(node);
        if (node instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                collect(child, into);
            }
        }
    }
}
