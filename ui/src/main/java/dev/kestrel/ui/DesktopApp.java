package dev.kestrel.ui;

import dev.kestrel.app.AppLogging;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import java.util.Optional;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: one Kestrel window over the data folder (KESTREL_HOME or the platform's). */
public final class DesktopApp extends Application {

    private KestrelWindow window;

    /** Sets up logging before JavaFX starts, so that its start-up messages go to the log file too. */
    public static void open() {
        AppLogging.configure(AppPaths.resolve(Optional.empty()), Boolean.getBoolean("kestrel.debug"));
        Application.launch(DesktopApp.class);
    }

    @Override
    public void start(Stage stage) {
        window = KestrelWindow.show(stage, AppPaths.resolve(Optional.empty()), BundledModels::defaultModel);
    }

    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
    }
}
