package dev.kestrel.app.chat;

import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A model the window can switch to: the bundled one, or a folder under the data folder's models/. */
public record ModelChoice(String name, Path folder, boolean bundled) {

    /** The bundled model first, then the installed ones by name; a folder counts when it holds a config.json. */
    public static List<ModelChoice> available(AppPaths paths) {
        List<ModelChoice> choices = new ArrayList<>();
        try {
            Path bundled = BundledModels.defaultModel();
            choices.add(new ModelChoice(bundled.getFileName() + " (bundled)", bundled, true));
        } catch (IllegalStateException missing) {
            // An install without its bundled models still lists the installed ones.
        }
        if (Files.isDirectory(paths.models())) {
            try (Stream<Path> folders = Files.list(paths.models())) {
                folders.filter(f -> Files.isRegularFile(f.resolve("config.json")))
                        .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                        .forEach(f -> choices.add(new ModelChoice(f.getFileName().toString(), f, false)));
            } catch (IOException e) {
                System.getLogger(ModelChoice.class.getName()).log(System.Logger.Level.WARNING, "cannot list " + paths.models(), e);
            }
        }
        return choices;
    }
}
