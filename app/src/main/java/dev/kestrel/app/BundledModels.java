package dev.kestrel.app;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The models shipped with Kestrel: in an installed app, the {@code models} folder the installer put
 * beside the jars (also named by the {@code kestrel.models} system property); in a source checkout,
 * the repository's {@code models} folder above the built jars.
 */
public final class BundledModels {

    public static final String PROPERTY = "kestrel.models";

    /** The model used when none is chosen: Kestrel's demo model (models/demo), which sees and thinks. */
    public static final String DEFAULT_MODEL = "demo";

    private BundledModels() {}

    public static Path defaultModel() {
        return model(DEFAULT_MODEL);
    }

    /** A bundled model folder by its path under {@code models/}, e.g. {@code demo} or {@code fixtures/tiny-decoder}. */
    public static Path model(String name) {
        return root().map(root -> root.resolve(name))
                .orElseThrow(() -> new IllegalStateException("Kestrel's bundled models are missing: no models/"
                        + DEFAULT_MODEL + " beside " + codeLocation().map(Path::toString).orElse("Kestrel's jars")
                        + "; choose a model with --model DIR"));
    }

    public static Optional<Path> root() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        Optional<Path> start = codeLocation();
        for (Path dir = start.orElse(null); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("models");
            if (Files.isRegularFile(candidate.resolve(DEFAULT_MODEL).resolve("config.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> codeLocation() {
        try {
            var source = BundledModels.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
