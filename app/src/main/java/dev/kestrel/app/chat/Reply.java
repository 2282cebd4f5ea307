package dev.kestrel.app.chat;

import dev.kestrel.inference.generate.Cancellation;
import java.util.concurrent.CompletableFuture;

/** A reply being written: its place in the history, a way to stop it, and its end. */
public final class Reply {

    private final long conversationId;
    private final long questionId;
    private final long replyId;
    private final Cancellation cancellation = new Cancellation();
    private final CompletableFuture<ReplyEvent> done = new CompletableFuture<>();

    Reply(long conversationId, long questionId, long replyId) {
        this.conversationId = conversationId;
        this.questionId = questionId;
        this.replyId = replyId;
    }

    public long conversationId() {
        return conversationId;
    }

    public long questionId() {
        return questionId;
    }

    public long replyId() {
        return replyId;
    }

    /** Stops the reply after the token being computed; what was written is kept. */
    public void stop() {
        cancellation.cancel();
    }

    /** Completes with the {@link ReplyEvent.Finished} or {@link ReplyEvent.Failed} event. */
    public CompletableFuture<ReplyEvent> done() {
        return done;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    void complete(ReplyEvent end) {
        done.complete(end);
    }
}
