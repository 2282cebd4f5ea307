package dev.kestrel.ui;

import dev.kestrel.app.AppPaths;
import dev.kestrel.ui.theme.Theme;
import java.nio.file.Path;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.api.FxToolkit;

/**
 * A test of the real window under X (Xvfb in CI), driven with TestFX's robot, over a real SQLite
 * file in a data folder of its own and the model {@link #model} names.
 */
@ExtendWith(ApplicationExtension.class)
abstract class WindowTest {

    @TempDir
    static Path home;

    KestrelWindow window;

    /** The model folder the window opens. */
    abstract Path model();

    @BeforeAll
    static void requireDisplay() {
        Displays.missing().ifPresent(reason -> {
            throw new IllegalStateException(reason + ": run the tests with .ci/run, which starts Xvfb");
        });
    }

    /** On TestFX's primary stage. A @Start method here would not be found: TestFX looks in the test class only. */
    @BeforeEach
    void openWindow() throws TimeoutException {
        Stage stage = FxToolkit.registerPrimaryStage();
        new FxRobot().interact(() -> window = KestrelWindow.show(stage, new AppPaths(home), this::model));
    }

    @AfterEach
    void closeWindow() {
        window.close();
        new FxRobot().interact(() -> Theme.SYSTEM.apply());
    }
}
