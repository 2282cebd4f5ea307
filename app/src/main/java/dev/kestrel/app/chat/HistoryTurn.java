package dev.kestrel.app.chat;

import dev.kestrel.app.AppException;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.generate.ThinkingBudget;
import dev.kestrel.inference.generate.Sampling;
import dev.kestrel.inference.prompt.ChatMessage;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.NewAttachment;
import dev.kestrel.storage.SamplingSettings;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One question and its reply in the history, for a caller that runs the model itself ({@code
 * kestrel ask --db}): {@link #begin} stores the question with its files and the reply's row (in a
 * new conversation, which starts with the default system prompt as the window's do, or after the
 * last message of an existing one) and the conversation's thinking budget; {@link #earlier} is what
 * came before as the model reads it, the system prompt first; {@link #recorder} writes the reply as
 * it streams.
 */
public final class HistoryTurn {

    private final long conversationId;
    private final List<ChatMessage> earlier;
    private final ReplyRecorder recorder;

    private HistoryTurn(long conversationId, List<ChatMessage> earlier, ReplyRecorder recorder) {
        this.conversationId = conversationId;
        this.earlier = earlier;
        this.recorder = recorder;
    }

    /** @param files the attached files; those with no picture chosen are left out */
    public static HistoryTurn begin(Database database, OptionalLong conversation, String question, List<Attachment> files,
            LanguageModel model, Sampling sampling, ThinkingBudget thinking, Consumer<String> notices) {
        long id;
        List<Message> before = List.of();
        if (conversation.isPresent()) {
            id = database.conversations().find(conversation.getAsLong())
                    .orElseThrow(() -> new AppException("conversation " + conversation.getAsLong() + " is not in the history "
                            + database.file()))
                    .id();
            before = database.messages().latestBranch(id);
        } else {
            id = ChatService.newConversation(database, ChatService.title(question), model.folder().name());
        }
        OptionalLong parent = before.isEmpty() ? OptionalLong.empty() : OptionalLong.of(before.getLast().id());
        List<NewAttachment> stored = Attachment.stored(files);
        Message asked = database.messages().append(id, parent, dev.kestrel.storage.Role.USER, question, stored);
        Message reply = database.messages().startReply(id, asked.id(), model.folder().name(), settings(sampling));
        ChatService.rememberBudget(database, id, thinking);
        String system = database.conversations().find(id).map(dev.kestrel.storage.Conversation::systemPrompt).orElse("");
        return new HistoryTurn(id, ChatService.withSystemPrompt(system, ChatService.asTurns(before, database, model, notices)),
                new ReplyRecorder(database, reply.id(), notices));
    }

    static SamplingSettings settings(Sampling sampling) {
        return new SamplingSettings(sampling.temperature(), sampling.topP(), sampling.topK(), sampling.minP(),
                sampling.repetitionPenalty(), sampling.seed());
    }

    public long conversationId() {
        return conversationId;
    }

    public long replyId() {
        return recorder.replyId();
    }

    public List<ChatMessage> earlier() {
        return earlier;
    }

    public ReplyRecorder recorder() {
        return recorder;
    }
}
