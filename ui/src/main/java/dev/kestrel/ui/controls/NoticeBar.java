package dev.kestrel.ui.controls;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/** A line that says something with one button beside it (Undo, Cancel), shown only while {@code shownWhile} is not empty. */
public final class NoticeBar extends HBox {

    public NoticeBar(ObservableStringValue shownWhile, ObservableStringValue message, String styleClass, String buttonText, String buttonId,
            String buttonHelp, Runnable action) {
        super(8);
        Label text = new Label();
        text.textProperty().bind(message);
        text.setWrapText(true);
        text.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(text, Priority.ALWAYS);
        Button button = new Button(buttonText);
        button.setId(buttonId);
        button.setAccessibleText(buttonHelp);
        button.setOnAction(e -> action.run());
        getChildren().addAll(text, button);
        setAlignment(Pos.CENTER_LEFT);
        getStyleClass().add(styleClass);
        visibleProperty().bind(Bindings.isNotEmpty(shownWhile));
        managedProperty().bind(visibleProperty());
    }
}
