package dev.kestrel.app.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.app.AppException;
import dev.kestrel.storage.Attachment;
import dev.kestrel.storage.AttachmentRepository;
import dev.kestrel.storage.Conversation;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageAttachment;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.NewAttachment;
import dev.kestrel.storage.ReplyMetrics;
import dev.kestrel.storage.RestoredConversation;
import dev.kestrel.storage.Role;
import dev.kestrel.storage.SamplingSettings;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Conversations as one self-contained JSON document (format "kestrel-history", version 1): every
 * message of every branch with its settings, times and figures, and each attached file once,
 * base64-encoded, under its SHA-256. Nothing in it depends on database ids, so importing an export
 * and exporting the result again gives the same document.
 */
public final class HistoryArchive {

    public static final String FORMAT = "kestrel-history";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryArchive() {}

    /** The conversations, in the order given. */
    public static ObjectNode export(Database db, List<Long> conversationIds) {
        ObjectNode archive = JSON.createObjectNode();
        archive.put("format", FORMAT);
        archive.put("version", VERSION);
        ArrayNode conversations = archive.putArray("conversations");
        ObjectNode files = JSON.createObjectNode();
        for (long id : conversationIds) {
            Conversation c = db.conversations().find(id)
                    .orElseThrow(() -> new AppException("conversation " + id + " is not in the history " + db.file()));
            ObjectNode conversation = conversations.addObject();
            conversation.put("title", c.title());
            conversation.put("model", c.model());
            conversation.put("system_prompt", c.systemPrompt());
            if (c.thinkBudget().isPresent()) {
                conversation.put("think_budget", c.thinkBudget().getAsInt());
            } else {
                conversation.putNull("think_budget");
            }
            conversation.put("pinned", c.pinned());
            conversation.put("archived", c.archived());
            conversation.put("created_at", c.createdAt().toString());
            conversation.put("updated_at", c.updatedAt().toString());
            ArrayNode messages = conversation.putArray("messages");
            Map<Long, Integer> index = new HashMap<>();
            for (Message m : db.messages().ofConversation(id)) {
                index.put(m.id(), index.size());
                ObjectNode message = messages.addObject();
                if (m.parentId().isPresent()) {
                    message.put("parent", index.get(m.parentId().getAsLong()));
                } else {
                    message.putNull("parent");
                }
                message.put("role", lower(m.role()));
                message.put("content", m.content());
                message.put("thinking", m.thinking());
                message.put("status", lower(m.status()));
                message.put("model", m.model());
                ObjectNode sampling = message.putObject("sampling");
                sampling.put("temperature", m.sampling().temperature());
                sampling.put("top_p", m.sampling().topP());
                sampling.put("top_k", m.sampling().topK());
                sampling.put("min_p", m.sampling().minP());
                sampling.put("repetition_penalty", m.sampling().repetitionPenalty());
                sampling.put("seed", m.sampling().seed());
                ObjectNode metrics = message.putObject("metrics");
                metrics.put("prompt_tokens", m.metrics().promptTokens());
                metrics.put("image_tokens", m.metrics().imageTokens());
                metrics.put("thinking_tokens", m.metrics().thinkingTokens());
                metrics.put("completion_tokens", m.metrics().completionTokens());
                metrics.put("ttft_ms", m.metrics().timeToFirstTokenMillis());
                metrics.put("duration_ms", m.metrics().durationMillis());
                metrics.put("device", m.metrics().device());
                message.put("created_at", m.createdAt().toString());
                message.put("updated_at", m.updatedAt().toString());
                ArrayNode attached = message.putArray("attachments");
                for (MessageAttachment a : db.attachments().ofMessage(m.id())) {
                    attached.addObject().put("sha256", a.attachment().sha256()).put("name", a.name()).put("pages", a.pages());
                    if (!files.has(a.attachment().sha256())) {
                        Attachment file = a.attachment();
                        files.putObject(file.sha256()).put("mime_type", file.mimeType()).put("size", file.size())
                                .put("width", file.width()).put("height", file.height()).put("pages", file.pages())
                                .put("data", Base64.getEncoder().encodeToString(db.attachments().bytes(file.sha256())));
                    }
                }
            }
        }
        archive.set("attachments", files);
        return archive;
    }

    /** Adds the archive's conversations to the history as new conversations; returns their ids. Checks everything first. */
    public static List<Long> importInto(Database db, JsonNode archive) {
        if (!FORMAT.equals(archive.path("format").asText()) || archive.path("version").asInt() != VERSION) {
            throw new AppException("this is not a Kestrel history export (format \"" + FORMAT + "\", version " + VERSION + ")");
        }
        Map<String, NewAttachment> files = new HashMap<>();
        JsonNode attachments = archive.path("attachments");
        List<RestoredConversation> restored = new ArrayList<>();
        int number = 0;
        for (JsonNode c : archive.path("conversations")) {
            number++;
            String where = "conversation " + number;
            List<RestoredConversation.Message> messages = new ArrayList<>();
            int position = 0;
            for (JsonNode m : c.path("messages")) {
                String at = where + ", message " + ++position;
                List<NewAttachment> attached = new ArrayList<>();
                for (JsonNode a : m.path("attachments")) {
                    String sha = text(a, "sha256", at);
                    JsonNode file = attachments.path(sha);
                    if (file.isMissingNode()) {
                        throw new AppException(at + " names attachment " + sha + ", which the export does not hold");
                    }
                    byte[] bytes = decode(file, sha, at);
                    attached.add(new NewAttachment(a.path("name").asText(""), text(file, "mime_type", at), bytes,
                            file.path("width").asInt(), file.path("height").asInt(), file.path("pages").asInt(),
                            a.path("pages").asText("")));
                }
                JsonNode s = m.path("sampling");
                JsonNode f = m.path("metrics");
                messages.add(new RestoredConversation.Message(m.path("parent").isNull() ? -1 : m.path("parent").asInt(),
                        named(Role.class, text(m, "role", at), at), m.path("content").asText(""), m.path("thinking").asText(""),
                        named(MessageStatus.class, text(m, "status", at), at), m.path("model").asText(""),
                        new SamplingSettings(s.path("temperature").asDouble(0), s.path("top_p").asDouble(1), s.path("top_k").asInt(0),
                                s.path("min_p").asDouble(0), s.path("repetition_penalty").asDouble(1), s.path("seed").asLong(0)),
                        new ReplyMetrics(f.path("prompt_tokens").asInt(), f.path("image_tokens").asInt(), f.path("thinking_tokens").asInt(),
                                f.path("completion_tokens").asInt(), f.path("ttft_ms").asLong(), f.path("duration_ms").asLong(),
                                f.path("device").asText("")),
                        time(m, "created_at", at), time(m, "updated_at", at), attached));
            }
            restored.add(new RestoredConversation(text(c, "title", where), c.path("model").asText(""),
                    c.path("system_prompt").asText(""),
                    c.path("think_budget").isNull() || c.path("think_budget").isMissingNode() ? OptionalInt.empty()
                            : OptionalInt.of(c.path("think_budget").asInt()),
                    c.path("pinned").asBoolean(), c.path("archived").asBoolean(), time(c, "created_at", where),
                    time(c, "updated_at", where), messages));
        }
        List<Long> ids = new ArrayList<>();
        for (RestoredConversation conversation : restored) {
            try {
                ids.add(db.conversations().restore(conversation));
            } catch (IllegalArgumentException e) {
                throw new AppException("conversation '" + conversation.title() + "': " + e.getMessage());
            }
        }
        return ids;
    }

    private static byte[] decode(JsonNode file, String sha, String at) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(file.path("data").asText(""));
        } catch (IllegalArgumentException e) {
            throw new AppException(at + ": attachment " + sha + " is not valid base64");
        }
        if (!AttachmentRepository.sha256(bytes).equals(sha)) {
            throw new AppException(at + ": attachment " + sha + " is damaged (its bytes have another SHA-256)");
        }
        return bytes;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new AppException(where + " has no \"" + field + "\"");
        }
        return value.asText();
    }

    private static Instant time(JsonNode node, String field, String where) {
        try {
            return Instant.parse(text(node, field, where));
        } catch (DateTimeParseException e) {
            throw new AppException(where + ": \"" + field + "\" is not a time like 2026-11-22T10:15:30Z");
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E named(Class<E> type, String value, String where) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AppException(where + ": '" + value + "' is not a " + type.getSimpleName().toLowerCase(Locale.ROOT)
                    + " Kestrel knows");
        }
    }
}
