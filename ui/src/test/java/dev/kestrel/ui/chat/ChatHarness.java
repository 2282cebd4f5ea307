package dev.kestrel.ui.chat;

import dev.kestrel.app.AppPaths;
import dev.kestrel.app.chat.ChatService;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a view-model test runs on: the real chat service over a data folder and a model, a thread
 * that plays the UI thread, and one for background work, as the window has them.
 */
public final class ChatHarness implements AutoCloseable {

    public final UiThread ui = new UiThread();
    public final ExecutorService background = Executors.newSingleThreadExecutor();
    public final ChatService service;

    public ChatHarness(Path home, Path model) {
        service = ChatService.open(new AppPaths(home), model);
    }

    /** A chat view model on these threads, attached to the service. */
    public ChatViewModel chat() {
        ChatViewModel model = new ChatViewModel(ui.executor(), background);
        ui.run(() -> model.attach(service));
        return model;
    }

    @Override
    public void close() {
        service.close();
        background.shutdown();
        ui.close();
    }
}
