package dev.kestrel.ui;

import dev.kestrel.app.AppExit;
import dev.kestrel.app.cli.KestrelCli;
import java.util.Optional;

/** The installed launcher's entry point: with arguments it is the command line, without it opens the window. */
public final class KestrelMain {

    private KestrelMain() {}

    public static void main(String[] args) {
        if (args.length > 0) {
            KestrelCli.main(args);
            return;
        }
        Optional<String> noDisplay = Displays.missing();
        if (noDisplay.isPresent()) {
            System.err.println("kestrel: " + noDisplay.get() + "; start it from a desktop session (or under xvfb-run),"
                    + " or give it a command such as: kestrel ask \"hello\"");
            System.exit(2);
        }
        AppExit.onSignals();
        DesktopApp.open();
        AppExit.now(0); // the window has closed; a model may still be loading in the background
    }
}
