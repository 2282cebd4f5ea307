package dev.kestrel.ui.chat;

import dev.kestrel.app.Failure;
import dev.kestrel.app.chat.Attachment;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.DataFolder;
import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.HistoryMessage;
import dev.kestrel.app.chat.Reply;
import dev.kestrel.app.chat.ReplyEvent;
import dev.kestrel.app.chat.ReplyStats;
import dev.kestrel.app.chat.ThinkingStop;
import dev.kestrel.app.chat.Thumbnail;
import dev.kestrel.ui.settings.ChatSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The chat's state and actions, free of controls so it tests without a window. Its methods run on
 * the UI thread; service calls go to {@code background}, and what comes back is applied through
 * {@code ui}. Streamed text is coalesced: however many tokens arrive, at most one update per turn
 * of the UI thread.
 */
public final class ChatViewModel {

    static final long PROGRESS_INTERVAL_MS = 50;

    private final Executor ui;
    private final Executor background;
    private final ObservableList<MessageItem> messages = FXCollections.observableArrayList();
    private final StringProperty draft = new SimpleStringProperty(this, "draft", "");
    private final ReadOnlyBooleanWrapper ready = new ReadOnlyBooleanWrapper(this, "ready");
    private final ReadOnlyBooleanWrapper replying = new ReadOnlyBooleanWrapper(this, "replying");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "Loading the model…");
    private final ReadOnlyIntegerWrapper historyChanges = new ReadOnlyIntegerWrapper(this, "historyChanges");
    private final ObjectProperty<ThinkingStop> thinking = new SimpleObjectProperty<>(this, "thinking", ThinkingStop.UNLIMITED);
    private final ReadOnlyBooleanWrapper canThink = new ReadOnlyBooleanWrapper(this, "canThink");
    private final ObservableList<AttachmentItem> attachments = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper attachmentNotice = new ReadOnlyStringWrapper(this, "attachmentNotice", "");
    private final ReadOnlyBooleanWrapper canSend = new ReadOnlyBooleanWrapper(this, "canSend");
    private final ReadOnlyBooleanWrapper canSee = new ReadOnlyBooleanWrapper(this, "canSee");
    private final ObservableList<SamplePrompt> samples = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper deviceBadge = new ReadOnlyStringWrapper(this, "deviceBadge", "");
    private final ReadOnlyStringWrapper deviceDetail = new ReadOnlyStringWrapper(this, "deviceDetail", "");
    private final ReadOnlyBooleanWrapper deviceFellBack = new ReadOnlyBooleanWrapper(this, "deviceFellBack");
    private final ReadOnlyIntegerWrapper focused = new ReadOnlyIntegerWrapper(this, "focused", -1);
    private final ReadOnlyStringWrapper editingText = new ReadOnlyStringWrapper(this, "editing", "");
    private MessageItem editing;
    private ChatService service;
    private OptionalLong conversation = OptionalLong.empty();
    private Reply reply;
    private boolean stopRequested;

    public ChatViewModel(Executor ui, Executor background) {
        this.ui = ui;
        this.background = background;
        Runnable sendable = () -> canSend.set(ready.get() && !replying.get()
                && attachments.stream().noneMatch(a -> a.readingProperty().get())
                && (!draft.get().isBlank() || !attachments.isEmpty()));
        draft.addListener((obs, old, now) -> sendable.run());
        ready.addListener((obs, old, now) -> sendable.run());
        replying.addListener((obs, old, now) -> sendable.run());
        attachments.addListener((javafx.collections.ListChangeListener<AttachmentItem>) change -> {
            while (change.next()) {
                change.getAddedSubList().forEach(a -> a.readingProperty().addListener((obs, old, now) -> sendable.run()));
            }
            sendable.run();
        });
    }

    /** The model is loaded: chatting can start. */
    public void attach(ChatService chat) {
        this.service = chat;
        status.set(chat.historyNotice().or(() -> afterLoad).orElse(chat.modelName() + " · " + chat.device()));
        afterLoad = Optional.empty();
        canThink.set(chat.canThink());
        canSee.set(chat.canSee());
        Optional<String> fallback = chat.deviceFallback();
        String provider = chat.device().replace("ExecutionProvider", "");
        deviceBadge.set(provider.equalsIgnoreCase(chat.deviceKind()) ? chat.deviceKind() : chat.deviceKind() + " · " + provider);
        deviceFellBack.set(fallback.isPresent());
        deviceDetail.set(chat.modelName() + " runs on the " + chat.deviceKind() + " through ONNX Runtime's " + chat.device()
                + fallback.map(reason -> ". " + reason).orElse("."));
        samples.setAll(SamplePrompt.forModel(chat.canSee(), chat.canThink()));
        ready.set(true);
        historyChanges.set(historyChanges.get() + 1);
    }

    /** Another model is being loaded: nothing can be sent until it is attached. */
    public void loading(String message) {
        ready.set(false);
        service = null;
        status.set(message);
        if (!attachments.isEmpty()) {
            // Their pictures were encoded for the model that is going away.
            attachments.forEach(AttachmentItem::remove);
            attachments.clear();
            attachmentNotice.set("The attached files were removed because the model changed; attach them again.");
        }
    }

    /** The model could not be loaded; the window says why. */
    public void failed(String message) {
        status.set("Cannot load the model: " + message);
        ready.set(false);
    }

    public void send() {
        String text = draft.get().strip();
        if (!canSend.get()) {
            return;
        }
        if (editing != null) {
            sendEdit(text);
            return;
        }
        List<Attachment> files = attachments.stream().flatMap(a -> a.toSend().stream()).toList();
        List<Thumbnail> pictures = attachments.stream().flatMap(a -> a.chosenThumbnails().stream()).toList();
        if (text.isEmpty() && pictures.isEmpty()) {
            return;
        }
        draft.set("");
        attachments.clear();
        attachmentNotice.set("");
        MessageItem question = new MessageItem(MessageItem.Author.USER, text, pictures);
        OptionalLong target = conversation;
        messages.add(question);
        startReply(question, (chat, budget, listener) -> chat.send(target, text, files, budget, listener));
    }

    /** Writes another reply to the last question; the one shown stays in the history as another branch. */
    public void regenerate() {
        if (!ready.get() || replying.get() || conversation.isEmpty() || messages.isEmpty()
                || messages.getLast().author() != MessageItem.Author.ASSISTANT) {
            return;
        }
        long target = conversation.getAsLong();
        messages.removeLast();
        MessageItem question = messages.isEmpty() ? null : messages.getLast();
        startReply(question, (chat, budget, listener) -> chat.regenerate(target, budget, listener));
    }

    /** Puts an earlier question into the composer; sending it asks the edited question as a new branch from there. */
    public void edit(MessageItem question) {
        if (replying.get() || question.author() != MessageItem.Author.USER || question.messageId().isEmpty()) {
            return;
        }
        editing = question;
        editingText.set(question.text());
        draft.set(question.text());
    }

    /** Leaves the question as it was. */
    public void cancelEdit() {
        if (editing != null) {
            editing = null;
            editingText.set("");
            draft.set("");
        }
    }

    private void sendEdit(String text) {
        MessageItem original = editing;
        int at = messages.indexOf(original);
        if (at < 0 || conversation.isEmpty()) {
            cancelEdit();
            return;
        }
        editing = null;
        editingText.set("");
        draft.set("");
        long target = conversation.getAsLong();
        long questionId = original.messageId().getAsLong();
        messages.remove(at, messages.size());
        MessageItem question = new MessageItem(MessageItem.Author.USER, text, original.pictures());
        messages.add(question);
        startReply(question, (chat, budget, listener) -> chat.edit(target, questionId, text, budget, listener));
    }

    /** How a reply is started on the service: a new question, another reply, an edited question. */
    private interface ReplyStart {
        Reply start(ChatService chat, ThinkingStop budget, java.util.function.Consumer<ReplyEvent> listener);
    }

    /** Adds the reply's item after {@code question} and streams the reply into it. */
    private void startReply(MessageItem question, ReplyStart how) {
        MessageItem answer = new MessageItem(MessageItem.Author.ASSISTANT, "");
        answer.setFooter("writing…");
        messages.add(answer);
        focused.set(-1);
        replying.set(true);
        stopRequested = false;
        ThinkingStop budget = thinking.get();
        AtomicInteger thought = new AtomicInteger();
        StreamingText streaming = new StreamingText(answer::append, ui);
        StreamingText thoughts = new StreamingText(delta -> {
            answer.appendThinking(delta);
            answer.thoughtSoFar(thought.get());
        }, ui);
        if (canThink.get() && budget != ThinkingStop.OFF) {
            answer.startThinking(budget);
        }
        ChatService chat = service;
        background.execute(() -> {
            try {
                Reply started = how.start(chat, budget, event -> onEvent(event, answer, streaming, thoughts, thought));
                ui.execute(() -> {
                    reply = started;
                    conversation = OptionalLong.of(started.conversationId());
                    if (question != null) {
                        question.setMessageId(started.questionId());
                    }
                    answer.setMessageId(started.replyId());
                    historyChanges.set(historyChanges.get() + 1);
                    if (stopRequested) {
                        started.stop();
                    }
                });
            } catch (RuntimeException e) {
                String message = Failure.of(e).message();
                ui.execute(() -> {
                    answer.setFooter("Not sent: " + message);
                    replying.set(false);
                });
            }
        });
    }

    /** Attaches files (images, PDFs): each is read in the background and its pictures start encoding at once. */
    public void attach(List<Path> files) {
        for (Path file : files) {
            String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
            attachWith(name, chat -> chat.attach(file));
        }
    }

    /** Attaches a picture pasted from the clipboard: opaque ARGB pixels, row by row. */
    public void attachPixels(String name, int width, int height, int[] argb) {
        attachWith(name, chat -> chat.attachPixels(name, width, height, argb));
    }

    private void attachWith(String name, Function<ChatService, Attachment> read) {
        if (service == null) {
            attachmentNotice.set("'" + name + "' cannot be attached before the model is loaded");
            return;
        }
        ChatService chat = service;
        AttachmentItem item = new AttachmentItem(name);
        attachments.add(item);
        attachmentNotice.set("");
        readInto(item, () -> read.apply(chat), () -> attachments.remove(item));
    }

    /**
     * Reads a file (or other pages of it) in the background into {@code item}, whose pictures then
     * start encoding; a failure is said in the notice after {@code onFailure} ran on the UI thread.
     */
    private void readInto(AttachmentItem item, java.util.function.Supplier<Attachment> read, Runnable onFailure) {
        background.execute(() -> {
            try {
                Attachment attachment = read.get();
                ui.execute(() -> {
                    if (item.isRemoved()) {
                        attachment.discard();
                        return;
                    }
                    item.read(attachment);
                    followEncoding(item);
                });
            } catch (RuntimeException e) {
                String message = Failure.of(e).message();
                ui.execute(() -> {
                    onFailure.run();
                    attachmentNotice.set(message);
                });
            }
        });
    }

    /** Polls the item's encodings until they end: ONNX Runtime reports no progress, but tiles are counted as batches finish. */
    private void followEncoding(AttachmentItem item) {
        Thread.ofVirtual().name("kestrel-encoding-progress").start(() -> {
            try {
                while (true) {
                    CompletableFuture<Boolean> ended = new CompletableFuture<>();
                    ui.execute(() -> ended.complete(item.isRemoved() || item.refresh()));
                    // A UI thread that no longer runs tasks (the window closed) ends the polling too.
                    if (ended.get(10, TimeUnit.SECONDS)) {
                        return;
                    }
                    Thread.sleep(PROGRESS_INTERVAL_MS);
                }
            } catch (InterruptedException | ExecutionException | TimeoutException | RejectedExecutionException e) {
                // Nothing to follow any more.
            }
        });
    }

    /**
     * Shows other pages of an attached long PDF, written like {@code 11-20} (at most {@link
     * Attachment#MAX_PAGES}); they render and encode in the background. A range that cannot be shown
     * is explained, and the pages shown before stay.
     */
    public void choosePages(AttachmentItem item, String text) {
        Optional<Attachment> current = item.attachment();
        if (service == null || current.isEmpty() || item.readingProperty().get()) {
            return;
        }
        ChatService chat = service;
        item.rereading();
        attachmentNotice.set("");
        readInto(item, () -> chat.choosePages(current.get(), text), item::readFailed);
    }

    /** Removes an attached file before sending; its encodings stop. */
    public void remove(AttachmentItem item) {
        item.remove();
        attachments.remove(item);
    }

    /** Stops the reply being written; its text so far is kept. */
    public void stop() {
        if (!replying.get()) {
            return;
        }
        stopRequested = true;
        if (reply != null) {
            reply.stop();
        }
    }

    /** Shows a stored conversation; new messages continue it. */
    public void open(long conversationId) {
        open(conversationId, OptionalLong.empty());
    }

    /** Shows a stored conversation with {@code messageId} (a search hit) brought into view. */
    public void open(long conversationId, OptionalLong messageId) {
        if (service == null || replying.get()) {
            return;
        }
        ChatService chat = service;
        background.execute(() -> {
            List<HistoryMessage> stored = chat.history().messages(conversationId);
            Optional<ThinkingStop> remembered = chat.history().thinkingStop(conversationId);
            ui.execute(() -> {
                cancelEdit();
                conversation = OptionalLong.of(conversationId);
                remembered.ifPresent(thinking::set);
                List<HistoryMessage> shown = stored.stream().filter(m -> m.speaker() != HistoryMessage.Speaker.SYSTEM).toList();
                messages.setAll(shown.stream().map(MessageItem::of).toList());
                int found = -1;
                for (int i = 0; i < shown.size() && messageId.isPresent(); i++) {
                    if (shown.get(i).id() == messageId.getAsLong()) {
                        found = i;
                    }
                }
                focused.set(found);
            });
        });
    }

    /** Shows the most recently active conversation, if there is one (what a restart brings back). */
    public void openLatest() {
        if (service == null) {
            return;
        }
        ChatService chat = service;
        background.execute(() -> chat.history().conversations(1).stream().findFirst()
                .ifPresent(latest -> ui.execute(() -> {
                    if (conversation.isEmpty() && messages.isEmpty()) {
                        open(latest.id());
                    }
                })));
    }

    /** Starts an empty conversation; it is stored with the first message. */
    public void newConversation() {
        if (replying.get()) {
            return;
        }
        conversation = OptionalLong.empty();
        messages.clear();
        focused.set(-1);
        cancelEdit();
    }

    /** A conversation was deleted: if it is the one shown, the chat starts afresh. */
    public void deleted(long conversationId) {
        if (conversation.isPresent() && conversation.getAsLong() == conversationId) {
            if (replying.get()) {
                stop();
            }
            conversation = OptionalLong.empty();
            messages.clear();
            focused.set(-1);
        }
    }

    /** Reads the settings the dialog edits, off the UI thread, and hands them to {@code show} on it. */
    public void loadSettings(java.util.function.Consumer<ChatSettings> show) {
        if (service == null) {
            return;
        }
        ChatService chat = service;
        OptionalLong open = conversation;
        background.execute(() -> {
            ChatSettings settings = new ChatSettings(
                    open.isPresent() ? Optional.of(chat.history().systemPrompt(open.getAsLong())) : Optional.empty(),
                    chat.setting(ChatService.DEFAULT_SYSTEM_PROMPT).orElse(""),
                    chat.sampling(), chat.modelSampling(), chat.deviceChoice(), chat.threads(), Runtime.getRuntime().availableProcessors(),
                    chat.paths().home(), DataFolder.fixedBy());
            ui.execute(() -> show.accept(settings));
        });
    }

    /**
     * Saves what the dialog returned: prompts and sampling apply from the next reply on. Another device
     * or new threads load the model again; a new data folder gets a copy of the history and models, and the window
     * goes on there ({@link #setOnReload}).
     */
    public void saveSettings(ChatSettings settings) {
        if (service == null) {
            return;
        }
        ChatService chat = service;
        OptionalLong open = conversation;
        background.execute(() -> {
            try {
                if (open.isPresent()) {
                    settings.conversationPrompt().ifPresent(prompt -> chat.history().setSystemPrompt(open.getAsLong(), prompt));
                }
                chat.setSetting(ChatService.DEFAULT_SYSTEM_PROMPT, settings.newConversationPrompt().strip());
                chat.setSampling(settings.sampling());
                boolean reloadModel = !settings.threads().equals(chat.threads()) || !settings.device().equals(chat.deviceChoice());
                chat.setThreads(settings.threads());
                chat.setDeviceChoice(settings.device());
                if (!settings.dataFolder().equals(chat.paths().home())) {
                    String moved = chat.moveDataTo(settings.dataFolder());
                    ui.execute(() -> {
                        afterLoad = Optional.of(moved);
                        reload.accept(new AppPaths(settings.dataFolder()));
                    });
                } else if (reloadModel) {
                    ui.execute(() -> reload.accept(chat.paths()));
                }
            } catch (RuntimeException e) {
                String message = Failure.of(e).message();
                ui.execute(() -> status.set("Settings not saved: " + message));
            }
        });
    }

    /** What loads the model again, over the data folder given, when saved settings need it (the window's). */
    public void setOnReload(java.util.function.Consumer<AppPaths> reload) {
        this.reload = reload;
    }

    private java.util.function.Consumer<AppPaths> reload = paths -> {};
    /** Said in the status line once the model is loaded again, such as where the data was copied. */
    private Optional<String> afterLoad = Optional.empty();

    /** Where the model runs, short: "CPU", "GPU · CUDA", "NPU · QNN". */
    public ReadOnlyStringProperty deviceBadgeProperty() {
        return deviceBadge.getReadOnlyProperty();
    }

    /** Where the model runs, in a sentence, with the reason when it fell back to the CPU. */
    public ReadOnlyStringProperty deviceDetailProperty() {
        return deviceDetail.getReadOnlyProperty();
    }

    /** True when the model runs on the CPU because the wanted GPU or NPU could not be used. */
    public ReadOnlyBooleanProperty deviceFellBackProperty() {
        return deviceFellBack.getReadOnlyProperty();
    }

    /** Suggestions for an empty conversation, fitting what the model can do. */
    public ObservableList<SamplePrompt> samples() {
        return samples;
    }

    /** Puts a suggestion's question in the composer. */
    public void useSample(SamplePrompt sample) {
        draft.set(sample.prompt());
    }

    /** The text of the question being edited in the composer; empty when none is. */
    public ReadOnlyStringProperty editingProperty() {
        return editingText.getReadOnlyProperty();
    }

    /** The index of the message a search hit opened, for the view to bring into view; -1 for none. */
    public ReadOnlyIntegerProperty focusedMessageProperty() {
        return focused.getReadOnlyProperty();
    }

    private void onEvent(ReplyEvent event, MessageItem answer, StreamingText streaming, StreamingText thoughts, AtomicInteger thought) {
        switch (event) {
            case ReplyEvent.Text(String delta) -> streaming.add(delta);
            case ReplyEvent.Thinking(String delta) -> {
                thought.incrementAndGet();
                thoughts.add(delta);
            }
            case ReplyEvent.ThinkingEnded ended -> ui.execute(() -> answer.endThinking(ended.tokens(), ended.forced()));
            case ReplyEvent.Notice notice -> ui.execute(() -> status.set(notice.message()));
            case ReplyEvent.Finished finished -> ui.execute(() -> {
                answer.stopThinking(thought.get());
                answer.setText(finished.text());
                answer.setFooter(footer(finished));
                endReply();
            });
            case ReplyEvent.Failed failed -> ui.execute(() -> {
                answer.stopThinking(thought.get());
                answer.setText(failed.text());
                answer.setFooter("Failed: " + failed.message());
                endReply();
            });
        }
    }

    private void endReply() {
        replying.set(false);
        reply = null;
        historyChanges.set(historyChanges.get() + 1);
    }

    static String footer(ReplyEvent.Finished finished) {
        ReplyStats stats = finished.stats();
        String how = switch (finished.outcome()) {
            case COMPLETE -> "";
            case TRUNCATED -> "cut at the length limit · ";
            case STOPPED -> "stopped · ";
        };
        String thought = stats.thinkingTokens() > 0 ? stats.thinkingTokens() + " thinking · " : "";
        return String.format(Locale.ROOT, "%s%d tokens · %s%.1f tokens/s · first token %.0f ms · %s",
                how, stats.completionTokens(), thought, stats.tokensPerSecond(), stats.ttftMs(), stats.device());
    }

    /** The thinking budget for the next message; a conversation remembers the one it was last sent with. */
    public ObjectProperty<ThinkingStop> thinkingProperty() {
        return thinking;
    }

    /** Whether the model can think; the budget means nothing otherwise. */
    public ReadOnlyBooleanProperty canThinkProperty() {
        return canThink.getReadOnlyProperty();
    }

    /** Whether the model can look at images, so that files can be attached. */
    public ReadOnlyBooleanProperty canSeeProperty() {
        return canSee.getReadOnlyProperty();
    }

    /** The files attached to the message being written. */
    public ObservableList<AttachmentItem> attachments() {
        return attachments;
    }

    /** Why the last file could not be attached, until the next one is or the message is sent; empty otherwise. */
    public ReadOnlyStringProperty attachmentNoticeProperty() {
        return attachmentNotice.getReadOnlyProperty();
    }

    /** Whether Send would send: the model is ready, no reply is being written, no file is still read, and there is text or a file. */
    public ReadOnlyBooleanProperty canSendProperty() {
        return canSend.getReadOnlyProperty();
    }

    public ObservableList<MessageItem> messages() {
        return messages;
    }

    public StringProperty draftProperty() {
        return draft;
    }

    public ReadOnlyBooleanProperty readyProperty() {
        return ready.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty replyingProperty() {
        return replying.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Counts changes to the stored conversations (new ones, new messages), for the sidebar to follow. */
    public ReadOnlyIntegerProperty historyChangesProperty() {
        return historyChanges.getReadOnlyProperty();
    }

    public OptionalLong conversation() {
        return conversation;
    }

    /** Streamed text waiting for the UI thread; one scheduled flush carries everything that arrived meanwhile. */
    private static final class StreamingText {
        private final java.util.function.Consumer<String> target;
        private final Executor ui;
        private final StringBuilder pending = new StringBuilder();
        private boolean scheduled;

        StreamingText(java.util.function.Consumer<String> target, Executor ui) {
            this.target = target;
            this.ui = ui;
        }

        synchronized void add(String delta) {
            pending.append(delta);
            if (!scheduled) {
                scheduled = true;
                ui.execute(this::flush);
            }
        }

        private void flush() {
            String text;
            synchronized (this) {
                text = pending.toString();
                pending.setLength(0);
                scheduled = false;
            }
            target.accept(text);
        }
    }
}
