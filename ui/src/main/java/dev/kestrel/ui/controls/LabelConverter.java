package dev.kestrel.ui.controls;

import java.util.Collection;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.util.StringConverter;

/** Shows a ChoiceBox's or ComboBox's choices by their labels, and reads a label back among the choices. */
public final class LabelConverter {

    private LabelConverter() {}

    /** {@code label} names a choice; a label read back that names none of {@code choices} is {@code fallback}. */
    public static <T> StringConverter<T> of(Function<T, String> label, Supplier<? extends Collection<T>> choices, T fallback) {
        return new StringConverter<>() {
            @Override
            public String toString(T choice) {
                return choice == null ? "" : label.apply(choice);
            }

            @Override
            public T fromString(String text) {
                return choices.get().stream().filter(c -> Objects.equals(label.apply(c), text)).findFirst().orElse(fallback);
            }
        };
    }
}
