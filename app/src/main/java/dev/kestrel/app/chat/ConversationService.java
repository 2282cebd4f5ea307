package dev.kestrel.app.chat;

import dev.kestrel.app.AppException;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.MessageAttachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The conversations kept in the history: listed (pinned first), renamed, pinned, deleted with their
 * files, searched, and read back as the window shows them, with their system prompts and thinking
 * budgets. Writing replies is {@link ChatService}'s; this needs no model.
 */
public final class ConversationService {

    private static final int MAX_TITLE = 200;
    private static final System.Logger LOG = System.getLogger(ConversationService.class.getName());

    private final Database database;

    ConversationService(Database database) {
        this.database = database;
    }

    /** The conversation's system prompt, given to the model before its turns; empty for none. */
    public String systemPrompt(long conversationId) {
        return database.conversations().find(conversationId).map(dev.kestrel.storage.Conversation::systemPrompt).orElse("");
    }

    /** Sets the conversation's system prompt, for its next replies. */
    public void setSystemPrompt(long conversationId, String prompt) {
        mustExist(conversationId);
        database.conversations().setSystemPrompt(conversationId, prompt.strip());
    }


    /** The thinking budget last used in a conversation; empty for a new one or one from before budgets were kept. */
    public Optional<ThinkingStop> thinkingStop(long conversationId) {
        return database.conversations().find(conversationId)
                .flatMap(c -> c.thinkBudget().isEmpty() ? Optional.empty() : Optional.of(ThinkingStop.of(c.thinkBudget().getAsInt())));
    }


    /** The conversations, pinned ones first, then the most recently active. */
    public List<ConversationSummary> conversations(int limit) {
        return database.conversations().recent(limit).stream()
                .map(c -> new ConversationSummary(c.id(), c.title(), c.updatedAt(), c.pinned()))
                .toList();
    }

    /** Renames a conversation; the title is trimmed, one line, and may not be empty. */
    public void rename(long conversationId, String title) {
        String line = title.strip().replaceAll("\\s+", " ");
        if (line.isEmpty()) {
            throw new AppException("a conversation's title may not be empty");
        }
        mustExist(conversationId);
        database.conversations().rename(conversationId, line.length() <= MAX_TITLE ? line : line.substring(0, MAX_TITLE));
    }

    /** Pins a conversation to the top of the list, or unpins it. */
    public void pin(long conversationId, boolean pinned) {
        mustExist(conversationId);
        database.conversations().pin(conversationId, pinned);
    }

    /** Deletes a conversation with its messages, and the attached files nothing else uses. */
    public void delete(long conversationId) {
        if (!database.conversations().delete(conversationId)) {
            throw new AppException("conversation " + conversationId + " does not exist");
        }
    }

    /** Searches every title and message (words; the last one a prefix while it is typed), best first. */
    public List<HistoryHit> search(String text, int limit) {
        return database.search().search(text, 0, limit).stream()
                .map(hit -> new HistoryHit(hit.conversationId(), hit.title(), hit.messageId(), hit.snippet().text(),
                        hit.snippet().highlights().stream().map(r -> new HistoryHit.Highlight(r.start(), r.end())).toList()))
                .toList();
    }

    void mustExist(long conversationId) {
        if (database.conversations().find(conversationId).isEmpty()) {
            throw new AppException("conversation " + conversationId + " does not exist");
        }
    }

    /** A conversation's latest branch, as the window shows it, with thumbnails of the files attached. */
    public List<HistoryMessage> messages(long conversationId) {
        return database.messages().latestBranch(conversationId).stream()
                .map(m -> new HistoryMessage(m.id(), HistoryMessage.Speaker.valueOf(m.role().name()), m.content(), m.thinking(),
                        m.status().name().toLowerCase(java.util.Locale.ROOT), thumbnails(m.id())))
                .toList();
    }

    private List<Thumbnail> thumbnails(long messageId) {
        List<Thumbnail> pictures = new ArrayList<>();
        for (MessageAttachment file : database.attachments().ofMessage(messageId)) {
            try {
                ChatService.storedParts(database, file, Thumbnail.SIDE).forEach(part -> pictures.add(Thumbnail.of(part.image().pixels().get())));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "no thumbnail for '" + file.name() + "' of message " + messageId, e);
            }
        }
        return pictures;
    }
}
