package dev.kestrel.app.chat;

import dev.kestrel.inference.ClosingException;
import dev.kestrel.inference.generate.FinishReason;
import dev.kestrel.inference.generate.GenerationEvent;
import dev.kestrel.inference.generate.GenerationResult;
import dev.kestrel.inference.generate.Usage;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.ReplyMetrics;
import dev.kestrel.storage.StorageException;
import java.util.function.Consumer;

/**
 * Writes a reply into the history while it streams: the row exists from the start (status
 * streaming), grows at most every {@value #SAVE_INTERVAL_MS} ms, so a crash loses at most that
 * much, and ends complete, cancelled or failed. A save that fails (a full disk, a folder made
 * read-only) keeps the text in memory, is tried again at the next interval and at the end, and is
 * reported once to {@code notices}; the final save is tried a few times before giving up.
 */
public final class ReplyRecorder {

    public static final long SAVE_INTERVAL_MS = 250;
    private static final int FINAL_ATTEMPTS = 3;
    private static final long RETRY_PAUSE_MS = 200;
    private static final System.Logger LOG = System.getLogger(ReplyRecorder.class.getName());

    private final Database database;
    private final long replyId;
    private final Consumer<String> notices;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private long lastSave = System.nanoTime();
    private boolean unsaved;
    private boolean told;

    public ReplyRecorder(Database database, long replyId, Consumer<String> notices) {
        this.database = database;
        this.replyId = replyId;
        this.notices = notices;
    }

    /** Takes one generation event; saves what has streamed when the interval has passed. */
    public void accept(GenerationEvent event) {
        switch (event) {
            case GenerationEvent.Text(String delta) -> text.append(delta);
            case GenerationEvent.Thinking(String delta) -> thinking.append(delta);
            default -> {
                return;
            }
        }
        unsaved = true;
        if (System.nanoTime() - lastSave >= SAVE_INTERVAL_MS * 1_000_000) {
            lastSave = System.nanoTime();
            try {
                database.messages().updateReply(replyId, text.toString(), thinking.toString());
                unsaved = false;
            } catch (StorageException e) {
                problem("could not save reply " + replyId + " yet", e);
            }
        }
    }

    /** The final text and status: complete, or cancelled when the generation was stopped. Returns whether it was saved. */
    public boolean finish(GenerationResult result) {
        MessageStatus status = result.finishReason() == FinishReason.CANCELLED ? MessageStatus.CANCELLED : MessageStatus.COMPLETE;
        return end(result.text(), result.thinking(), status, metrics(result));
    }

    /**
     * Keeps what streamed before {@code cause} stopped the reply: as failed, or as interrupted when
     * Kestrel was closing ({@link ClosingException}). Returns whether it was saved.
     */
    public boolean fail(Throwable cause) {
        MessageStatus status = cause instanceof ClosingException ? MessageStatus.INTERRUPTED : MessageStatus.FAILED;
        return end(text.toString(), thinking.toString(), status, ReplyMetrics.NONE);
    }

    public long replyId() {
        return replyId;
    }

    /** Whether streamed text is only in memory so far. */
    public boolean unsaved() {
        return unsaved;
    }

    public String text() {
        return text.toString();
    }

    public String thinking() {
        return thinking.toString();
    }

    static ReplyMetrics metrics(GenerationResult result) {
        Usage usage = result.usage();
        return new ReplyMetrics(usage.promptTokens(), usage.imageTokens(), usage.thinkingTokens(), usage.completionTokens(),
                Math.round(result.timings().ttftMs()), Math.round(result.timings().ttftMs() + result.timings().decodeMs()),
                result.device());
    }

    private boolean end(String finalText, String finalThinking, MessageStatus status, ReplyMetrics metrics) {
        for (int attempt = 1; ; attempt++) {
            try {
                database.messages().finishReply(replyId, finalText, finalThinking, status, metrics);
                unsaved = false;
                if (told) {
                    notices.accept("The reply is saved now.");
                }
                return true;
            } catch (StorageException e) {
                if (attempt == FINAL_ATTEMPTS) {
                    LOG.log(System.Logger.Level.ERROR, "could not save reply " + replyId, e);
                    notices.accept("Kestrel could not save this reply to the history (" + e.getMessage()
                            + "). It is still shown here; copy it if you need it.");
                    return false;
                }
                problem("could not save reply " + replyId + " (attempt " + attempt + ")", e);
                try {
                    Thread.sleep(RETRY_PAUSE_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void problem(String what, StorageException e) {
        LOG.log(System.Logger.Level.WARNING, what + ": " + e.getMessage());
        if (!told) {
            told = true;
            notices.accept("Kestrel cannot save to the history right now (" + e.getMessage()
                    + "); the reply is kept in memory and saving is retried.");
        }
    }
}
