package dev.kestrel.app.chat;

import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.DataFolder;
import dev.kestrel.app.Failure;
import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.generate.GenerationEvent;
import dev.kestrel.inference.generate.GenerationRequest;
import dev.kestrel.inference.generate.GenerationResult;
import dev.kestrel.inference.generate.PreparedPrompt;
import dev.kestrel.inference.generate.Sampling;
import dev.kestrel.inference.generate.ThinkingBudget;
import dev.kestrel.inference.prompt.ChatMessage;
import dev.kestrel.inference.prompt.Role;
import dev.kestrel.inference.vision.Attachments;
import dev.kestrel.inference.vision.EncodedImage;
import dev.kestrel.inference.vision.pdf.PageRange;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageAttachment;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.NewAttachment;
import java.nio.file.Path;
import dev.kestrel.inference.runtime.DeviceKind;
import dev.kestrel.inference.vision.VisionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Chatting with one model over the stored history: a message is stored, the reply row is created
 * at once and grows as the model writes (saved at most every {@value ReplyRecorder#SAVE_INTERVAL_MS} ms, so a
 * crash loses at most that much), and ends complete, stopped or failed. Generation runs on one
 * platform thread owned here; listeners are called on it.
 */
public final class ChatService implements AutoCloseable {

    static final int MAX_REPLY_TOKENS = 1024;
    private static final int TITLE_LENGTH = 60;
    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    private final LanguageModel model;
    private final Database database;
    private final Set<Reply> active = ConcurrentHashMap.newKeySet();
    private volatile SamplingChoice sampling;
    private final AppPaths paths;
    private final ConversationService history;
    private Optional<String> startNotice = Optional.empty();
    private final ExecutorService engine = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "kestrel-engine");
        thread.setDaemon(true);
        return thread;
    });

    ChatService(LanguageModel model, Database database, AppPaths paths) {
        this.paths = paths;
        this.history = new ConversationService(database);
        this.model = model;
        this.database = database;
        this.sampling = SamplingChoice.read(database.settings()::get);
    }

    /** The settings key of the model folder the window chose last. */
    public static final String MODEL_SETTING = "model.folder";

    /** The settings key of what the model runs on: auto (NPU, then GPU, then CPU), cpu, gpu or npu. */
    public static final String DEVICE_SETTING = "engine.device";
    /** The device choices, as {@link #DEVICE_SETTING} keeps them. */
    public static final List<String> DEVICE_CHOICES = java.util.Arrays.stream(DeviceKind.values()).map(DeviceKind::label).toList();

    /** The settings key of the number of CPU threads the model runs on; none is one per core. */
    public static final String THREADS_SETTING = "engine.threads";

    /** Opens the history under {@code paths} and loads the model in {@code modelDir}. */
    public static ChatService open(AppPaths paths, Path modelDir) {
        Database database = Database.open(paths.database());
        try {
            return new ChatService(LanguageModel.load(modelDir, engineOptions(paths, database)), database, paths);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Opens the history and the model chosen last in this data folder ({@link #remember}), or {@code
     * fallback} when none was or it cannot be loaded any more; then {@link #historyNotice} says why.
     */
    public static ChatService openLast(AppPaths paths, Path fallback) {
        Database database = Database.open(paths.database());
        try {
            Optional<Path> last = database.settings().get(MODEL_SETTING).map(Path::of).filter(p -> !p.equals(fallback));
            if (last.isPresent()) {
                try {
                    return new ChatService(LanguageModel.load(last.get(), engineOptions(paths, database)), database, paths);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot load the model chosen last, " + last.get(), e);
                    ChatService service = new ChatService(LanguageModel.load(fallback, engineOptions(paths, database)), database, paths);
                    service.startNotice = Optional.of("The model chosen last (" + last.get().getFileName() + ") could not be loaded: "
                            + Failure.of(e).message() + ". " + service.modelName() + " was opened instead.");
                    return service;
                }
            }
            return new ChatService(LanguageModel.load(fallback, engineOptions(paths, database)), database, paths);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * The threads the user chose, this data folder's plug-in providers and image cache (so a picture
     * asked about again, even after a restart, costs no vision work), as the command line has them;
     * the rest as the engine decides.
     */
    private static EngineOptions engineOptions(AppPaths paths, Database database) {
        return new EngineOptions(Optional.empty(), threads(database).orElse(0), deviceKind(database), paths.providerFolders(),
                VisionOptions.DEFAULT.withCacheFolder(paths.imageCache()), Optional.of(paths.compiledGraphs()));
    }

    private static OptionalInt threads(Database database) {
        try {
            return database.settings().get(THREADS_SETTING).map(v -> OptionalInt.of(Integer.parseInt(v))).filter(t -> t.getAsInt() > 0)
                    .orElse(OptionalInt.empty());
        } catch (NumberFormatException damaged) {
            return OptionalInt.empty();
        }
    }

    private static DeviceKind deviceKind(Database database) {
        String chosen = database.settings().get(DEVICE_SETTING).orElse("auto");
        return java.util.Arrays.stream(DeviceKind.values()).filter(k -> k.label().equals(chosen)).findFirst().orElse(DeviceKind.AUTO);
    }

    /** What the user chose the model to run on ({@link #DEVICE_CHOICES}); a change applies when a model is next loaded. */
    public String deviceChoice() {
        return deviceKind(database).label();
    }

    /** Keeps the device for the next model load: one of {@link #DEVICE_CHOICES}. */
    public void setDeviceChoice(String choice) {
        if (!DEVICE_CHOICES.contains(choice)) {
            throw new AppException("the device must be one of " + String.join(", ", DEVICE_CHOICES) + ", not '" + choice + "'");
        }
        database.settings().put(DEVICE_SETTING, choice);
    }

    /** The CPU threads the user chose for the model, or empty for one per core; a change applies when a model is next loaded. */
    public OptionalInt threads() {
        return threads(database);
    }

    /** Keeps the CPU threads for the next model load; empty is one per core. */
    public void setThreads(OptionalInt threads) {
        if (threads.isPresent() && (threads.getAsInt() < 1 || threads.getAsInt() > 1024)) {
            throw new AppException("threads must be from 1 to 1024, or empty for one per core; not " + threads.getAsInt());
        }
        if (threads.isPresent()) {
            database.settings().put(THREADS_SETTING, Integer.toString(threads.getAsInt()));
        } else {
            database.settings().remove(THREADS_SETTING);
        }
    }

    /**
     * Makes {@code folder} the data folder from the next start on, copying this one's history and models
     * there first ({@link DataFolder#moveTo}); returns what was done. Open this folder's service again to
     * go on there.
     */
    public String moveDataTo(Path folder) {
        return DataFolder.moveTo(paths, database, folder);
    }

    /** The data folder this service keeps its history in. */
    public AppPaths paths() {
        return paths;
    }

    /** Makes this service's model the one {@link #openLast} opens next time. */
    public void remember() {
        setSetting(MODEL_SETTING, model.folder().root().toAbsolutePath().toString());
    }

    /**
     * What the user must be told about their history before anything else, if anything: that the
     * database was damaged, where the damaged file is kept, and that a new one was started.
     */
    public Optional<String> historyNotice() {
        if (startNotice.isPresent()) {
            return startNotice;
        }
        return database.damagedCopy().map(copy -> "The history database was damaged, so Kestrel started a new one."
                + " The old file is kept, unchanged, at " + copy + ".");
    }

    /** Chooses how the next replies pick their tokens; the choice is kept for the next start. */
    public void setSampling(SamplingChoice choice) {
        sampling = choice;
        choice.store((key, value) -> value.ifPresentOrElse(v -> setSetting(key, v), () -> database.settings().remove(key)));
    }

    /** How replies pick their tokens, as the user set it (empty values are the model's). */
    public SamplingChoice sampling() {
        return sampling;
    }

    /** The model's own sampling values (generation_config.json), for the settings to show. */
    public SamplingChoice modelSampling() {
        return SamplingChoice.of(model.defaultSampling(0));
    }

    /** The settings key of the system prompt new conversations start with. */
    public static final String DEFAULT_SYSTEM_PROMPT = "chat.system-prompt";

    private long newConversation(String title) {
        return newConversation(database, title, model.folder().name());
    }

    /** A new conversation, with the system prompt new conversations start with, if one is set. */
    static long newConversation(Database database, String title, String modelName) {
        long id = database.conversations().create(title, modelName).id();
        database.settings().get(DEFAULT_SYSTEM_PROMPT).filter(p -> !p.isBlank())
                .ifPresent(prompt -> database.conversations().setSystemPrompt(id, prompt));
        return id;
    }

    /** Remembers the budget per conversation, so that reopening it brings the same setting back. */
    static void rememberBudget(Database database, long conversation, ThinkingBudget thinking) {
        database.conversations().setThinkBudget(conversation,
                OptionalInt.of(thinking.isUnlimited() ? dev.kestrel.storage.Conversation.UNLIMITED : thinking.tokens()));
    }

    /** The turns with the conversation's system prompt, if it has one, before them: what the model reads. */
    static List<ChatMessage> withSystemPrompt(String system, List<ChatMessage> turns) {
        if (system.isBlank()) {
            return turns;
        }
        List<ChatMessage> all = new ArrayList<>(turns);
        all.addFirst(new ChatMessage(Role.SYSTEM, system));
        return all;
    }

    /** An application setting kept in the history database (the window's theme, say). */
    public Optional<String> setting(String key) {
        return database.settings().get(key);
    }

    public void setSetting(String key, String value) {
        database.settings().put(key, value);
    }

    /** Whether the model has a thinking mode, so that a thinking budget means something. */
    public boolean canThink() {
        return model.canThink();
    }

    /** Like {@link #send(OptionalLong, String, Consumer)}, thinking within one of the window's budgets. */
    public Reply send(OptionalLong conversationId, String text, ThinkingStop thinking, Consumer<? super ReplyEvent> listener) {
        return send(conversationId, text, List.of(), thinking.budget(), listener);
    }

    /** Like {@link #send(OptionalLong, String, ThinkingStop, Consumer)}, with attached files (their chosen pictures). */
    public Reply send(OptionalLong conversationId, String text, List<Attachment> files, ThinkingStop thinking,
            Consumer<? super ReplyEvent> listener) {
        return send(conversationId, text, files, thinking.budget(), listener);
    }

    /** The folder of the model, absolute. */
    public Path modelFolder() {
        return model.folder().root().toAbsolutePath();
    }

    public String modelName() {
        return model.folder().name();
    }

    /** The execution provider the model runs on, e.g. CPUExecutionProvider. */
    public String device() {
        return model.device();
    }

    /** The kind of device the model runs on: "CPU", "GPU" or "NPU". */
    public String deviceKind() {
        return model.deviceKind().name();
    }

    /** Why the model runs on the CPU though a GPU or NPU was wanted, if it does. */
    public Optional<String> deviceFallback() {
        return model.deviceFallback();
    }

    /** The conversations kept in this data folder's history: listed, renamed, pinned, deleted, searched, read. */
    public ConversationService history() {
        return history;
    }

    private void mustExist(long conversationId) {
        history.mustExist(conversationId);
    }

    /** Whether the model can look at images, so that files can be attached. */
    public boolean canSee() {
        return model.canSee();
    }

    /**
     * Reads a file the user attached (an image, or a PDF whose first {@value Attachment#MAX_PAGES}
     * pages are offered) and starts encoding its pictures. Blocks while the file is read and a PDF
     * rendered, so call it off the UI thread; a file that cannot be read is refused with the reason.
     */
    public Attachment attach(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        return attach(name, Attachments.bytes(file));
    }

    /**
     * The attached PDF {@code file} with other pages shown, written as a person writes them ({@code
     * 11-20}; see {@link Attachment#withPages}); blocks while they are rendered.
     */
    public Attachment choosePages(Attachment file, String pages) {
        return file.withPages(model, PageRange.parse(pages.strip()));
    }

    /** Like {@link #attach(Path)}, for a file's bytes (dropped from another application, say). */
    public Attachment attach(String name, byte[] bytes) {
        return Attachment.offer(model, name, bytes);
    }

    /** A picture pasted from the clipboard, {@code argb} row by row, kept as a PNG named {@code name}. */
    public Attachment attachPixels(String name, int width, int height, int[] argb) {
        return attach(name, Thumbnail.png(width, height, argb));
    }

    /**
     * Stores {@code text} as the user's next message (in a new conversation when none is given) and
     * starts the reply. Returns once both are stored; the reply is written in the background.
     */
    public Reply send(OptionalLong conversationId, String text, Consumer<? super ReplyEvent> listener) {
        return send(conversationId, text, List.of(), ThinkingBudget.UNLIMITED, listener);
    }

    /**
     * Like {@link #send(OptionalLong, String, Consumer)}, with attached files, thinking within {@code
     * thinking} (for models that think). A message may be files alone.
     */
    public Reply send(OptionalLong conversationId, String text, List<Attachment> files, ThinkingBudget thinking,
            Consumer<? super ReplyEvent> listener) {
        List<Attachment> sent = files.stream().filter(f -> !f.chosen().isEmpty()).toList();
        if (text.isBlank() && sent.isEmpty()) {
            throw new AppException("the message is empty");
        }
        long conversation = conversationId.isPresent()
                ? database.conversations().find(conversationId.getAsLong())
                        .orElseThrow(() -> new AppException("conversation " + conversationId.getAsLong() + " does not exist"))
                        .id()
                : newConversation(title(text.isBlank() ? sent.getFirst().name() : text));
        List<Message> earlier = database.messages().latestBranch(conversation);
        OptionalLong parent = earlier.isEmpty() ? OptionalLong.empty() : OptionalLong.of(earlier.getLast().id());
        Message question = database.messages().append(conversation, parent, dev.kestrel.storage.Role.USER, text,
                Attachment.stored(sent));
        List<Attachment.Picture> pictures = sent.stream().flatMap(f -> f.chosen().stream()).toList();
        // Waits for pictures still encoding; usually they were encoded while the question was typed.
        return answer(conversation, question, thinking, listener, notices -> {
            List<ChatMessage> turns = new ArrayList<>(asTurns(earlier, database, model, notices));
            turns.add(ChatMessage.user(text, Attachment.encoded(pictures)));
            return turns;
        });
    }

    /**
     * Writes another reply to the last question of the conversation's latest branch, beside the
     * replies it has (a branch of the history); the window then shows the new one.
     */
    public Reply regenerate(long conversationId, ThinkingStop thinking, Consumer<? super ReplyEvent> listener) {
        mustExist(conversationId);
        List<Message> branch = database.messages().latestBranch(conversationId);
        int last = lastQuestion(branch);
        if (last < 0) {
            throw new AppException("conversation " + conversationId + " has no question to answer again");
        }
        List<Message> asked = branch.subList(0, last + 1);
        return answer(conversationId, branch.get(last), thinking.budget(), listener, notices -> asTurns(asked, database, model, notices));
    }

    /**
     * Asks an edited version of an earlier question, with the same files, as a new branch from where
     * that question was asked; the original question and what followed it stay in the history.
     */
    public Reply edit(long conversationId, long questionId, String text, ThinkingStop thinking, Consumer<? super ReplyEvent> listener) {
        Message original = database.messages().find(questionId)
                .filter(m -> m.conversationId() == conversationId && m.role() == dev.kestrel.storage.Role.USER)
                .orElseThrow(() -> new AppException("message " + questionId + " is not a question of conversation " + conversationId));
        List<NewAttachment> files = database.attachments().ofMessage(questionId).stream()
                .map(f -> new NewAttachment(f.name(), f.attachment().mimeType(), database.attachments().bytes(f.attachment().sha256()),
                        f.attachment().width(), f.attachment().height(), f.attachment().pages(), f.pages()))
                .toList();
        if (text.isBlank() && files.isEmpty()) {
            throw new AppException("the message is empty");
        }
        Message question = database.messages().append(conversationId, original.parentId(), dev.kestrel.storage.Role.USER, text, files);
        List<Message> asked = database.messages().thread(question.id());
        return answer(conversationId, question, thinking.budget(), listener, notices -> asTurns(asked, database, model, notices));
    }

    private static int lastQuestion(List<Message> branch) {
        for (int i = branch.size() - 1; i >= 0; i--) {
            if (branch.get(i).role() == dev.kestrel.storage.Role.USER) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Starts the reply to {@code question}: its row now, its text on the engine thread, where {@code
     * turns} builds what the model reads (the files of earlier turns are read back there).
     */
    private Reply answer(long conversation, Message question, ThinkingBudget thinking, Consumer<? super ReplyEvent> listener,
            Function<Consumer<String>, List<ChatMessage>> turns) {
        rememberBudget(database, conversation, thinking);
        Sampling sampling = this.sampling.applyTo(model.defaultSampling(ThreadLocalRandom.current().nextLong()));
        Message replyRow = database.messages().startReply(conversation, question.id(), model.folder().name(),
                HistoryTurn.settings(sampling));
        Reply reply = new Reply(conversation, question.id(), replyRow.id());
        active.add(reply);
        engine.execute(() -> write(reply, turns, sampling, thinking, listener));
        return reply;
    }

    private void write(Reply reply, Function<Consumer<String>, List<ChatMessage>> turns, Sampling sampling, ThinkingBudget thinking,
            Consumer<? super ReplyEvent> listener) {
        Consumer<String> notices = notice -> listener.accept(new ReplyEvent.Notice(notice));
        ReplyRecorder recorder = new ReplyRecorder(database, reply.replyId(), notices);
        try {
            List<ChatMessage> conversation = withSystemPrompt(history.systemPrompt(reply.conversationId()), turns.apply(notices));
            int reserve = Math.min(MAX_REPLY_TOKENS, model.contextLength() / 4);
            PreparedPrompt prompt = model.fit(conversation, thinking, reserve);
            if (prompt.droppedMessages() > 0) {
                listener.accept(new ReplyEvent.Notice("The " + prompt.droppedMessages() + " oldest messages were left out so that"
                        + " the conversation fits what " + modelName() + " can read at once."));
            }
            GenerationRequest request = GenerationRequest.of(prompt, sampling,
                    MAX_REPLY_TOKENS, thinking).withCancellation(reply.cancellation());
            GenerationResult result = model.generate(request, event -> {
                recorder.accept(event);
                switch (event) {
                    case GenerationEvent.Text(String delta) -> listener.accept(new ReplyEvent.Text(delta));
                    case GenerationEvent.Thinking(String delta) -> listener.accept(new ReplyEvent.Thinking(delta));
                    case GenerationEvent.ThinkingEnded ended -> listener.accept(new ReplyEvent.ThinkingEnded(ended.tokens(), ended.forced()));
                    default -> { }
                }
            });
            ReplyOutcome outcome = switch (result.finishReason()) {
                case STOP -> ReplyOutcome.COMPLETE;
                case LENGTH -> ReplyOutcome.TRUNCATED;
                case CANCELLED -> ReplyOutcome.STOPPED;
            };
            recorder.finish(result);
            ReplyStats stats = new ReplyStats(result.usage().promptTokens(), result.usage().completionTokens(),
                    result.usage().thinkingTokens(), result.timings().ttftMs(), result.decodeTokensPerSecond(), result.device());
            end(reply, listener, new ReplyEvent.Finished(outcome, result.text(), stats));
        } catch (RuntimeException | OutOfMemoryError e) {
            Failure failure = Failure.of(e);
            LOG.log(System.Logger.Level.WARNING, "reply " + reply.replyId() + " failed", e);
            recorder.fail(e);
            end(reply, listener, new ReplyEvent.Failed(failure.message(), recorder.text()));
        }
    }

    private void end(Reply reply, Consumer<? super ReplyEvent> listener, ReplyEvent end) {
        try {
            listener.accept(end);
        } finally {
            active.remove(reply);
            reply.complete(end);
        }
    }

    /**
     * Stored turns as the model reads them again, with the pictures of the files attached to them
     * (for a model that can see; from the embedding cache when they were encoded before). Replies
     * that did not finish stay in the history but are left out, and so is a file that cannot be read
     * again, with a notice.
     */
    static List<ChatMessage> asTurns(List<Message> branch, Database database, LanguageModel model, Consumer<String> notices) {
        List<ChatMessage> turns = new ArrayList<>();
        for (Message m : branch) {
            if (m.status() != MessageStatus.COMPLETE && m.role() == dev.kestrel.storage.Role.ASSISTANT) {
                continue;
            }
            List<EncodedImage> images = new ArrayList<>();
            if (m.role() == dev.kestrel.storage.Role.USER && model.canSee()) {
                for (MessageAttachment file : database.attachments().ofMessage(m.id())) {
                    try {
                        // Usually found in the embedding cache, and then the picture is not even decoded.
                        int longSide = Attachments.longSideFor(model.images().orElseThrow().tiling());
                        storedParts(database, file, longSide).forEach(part -> images.add(model.encode(part.image())));
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "cannot read '" + file.name() + "' of message " + m.id() + " again", e);
                        notices.accept("'" + file.name() + "', attached earlier in this conversation, was left out: "
                                + Failure.of(e).message());
                    }
                }
            }
            turns.add(new ChatMessage(Role.valueOf(m.role().name()), m.content(), images));
        }
        return turns;
    }

    /** A stored file's pictures: the image, or its chosen PDF pages rendered with their longer side about {@code longSide}. */
    static List<Attachments.Part> storedParts(Database database, MessageAttachment file, int longSide) {
        byte[] bytes = database.attachments().bytes(file.attachment().sha256());
        Optional<PageRange> pages = file.pages().isEmpty() ? Optional.empty() : Optional.of(PageRange.parse(file.pages()));
        return Attachments.read(file.name(), bytes, pages, longSide);
    }

    static String title(String text) {
        String firstLine = text.strip().lines().findFirst().orElse("").strip();
        return firstLine.length() <= TITLE_LENGTH ? firstLine : firstLine.substring(0, TITLE_LENGTH - 1).strip() + "…";
    }

    /** Stops every reply (each ends stopped, its text kept), then frees the model and the database. */
    @Override
    public void close() {
        active.forEach(Reply::stop);
        engine.shutdown();
        try {
            if (!engine.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "a reply did not stop within 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            model.close();
        } finally {
            database.close();
        }
    }
}
