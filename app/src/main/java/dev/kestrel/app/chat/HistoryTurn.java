package dev.kestrel.app.chat;

import dev.kestrel.app.AppException;
import dev.kestrel.inference.generate.Sampling;
import dev.kestrel.inference.prompt.ChatMessage;
import dev.kestrel.inference.prompt.Role;
import dev.kestrel.inference.vision.Attachments;
import dev.kestrel.inference.vision.image.RgbImage;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.NewAttachment;
import dev.kestrel.storage.SamplingSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One question and its reply in the history, for a caller that runs the model itself ({@code
 * kestrel ask --db}): {@link #begin} stores the question with its files and the reply's row (in a
 * new conversation, or after the last message of an existing one), {@link #earlier} is what came
 * before as the model reads it, and {@link #recorder} writes the reply as it streams.
 */
public final class HistoryTurn {

    private final long conversationId;
    private final long questionId;
    private final List<ChatMessage> earlier;
    private final ReplyRecorder recorder;

    private HistoryTurn(long conversationId, long questionId, List<ChatMessage> earlier, ReplyRecorder recorder) {
        this.conversationId = conversationId;
        this.questionId = questionId;
        this.earlier = earlier;
        this.recorder = recorder;
    }

    /**
     * @param files   the attached files with the images read from each (a PDF gives one a page)
     * @param pages   the PDF pages chosen, as the user wrote them; empty for all
     */
    public static HistoryTurn begin(Database database, OptionalLong conversation, String question, List<AttachedFile> files,
            String pages, String model, Sampling sampling, Consumer<String> notices) {
        long id;
        List<Message> before = List.of();
        if (conversation.isPresent()) {
            id = database.conversations().find(conversation.getAsLong())
                    .orElseThrow(() -> new AppException("conversation " + conversation.getAsLong() + " is not in the history "
                            + database.file()))
                    .id();
            List<Message> all = database.messages().ofConversation(id);
            before = all.isEmpty() ? List.of() : database.messages().thread(all.getLast().id());
        } else {
            id = database.conversations().create(ChatService.title(question), model).id();
        }
        List<ChatMessage> earlier = new ArrayList<>();
        for (Message m : before) {
            // Replies that did not finish are kept in the history but not shown to the model again.
            if (m.role() != dev.kestrel.storage.Role.ASSISTANT || m.status() == MessageStatus.COMPLETE) {
                earlier.add(new ChatMessage(Role.valueOf(m.role().name()), m.content()));
            }
        }
        OptionalLong parent = before.isEmpty() ? OptionalLong.empty() : OptionalLong.of(before.getLast().id());
        List<NewAttachment> stored = files.stream().map(f -> f.stored(pages)).toList();
        Message asked = database.messages().append(id, parent, dev.kestrel.storage.Role.USER, question, stored);
        Message reply = database.messages().startReply(id, asked.id(), model, settings(sampling));
        return new HistoryTurn(id, asked.id(), List.copyOf(earlier), new ReplyRecorder(database, reply.id(), notices));
    }

    /** A file as the user attached it, with the images made from it. */
    public record AttachedFile(Path path, byte[] bytes, List<Attachments.Part> parts) {

        NewAttachment stored(String pages) {
            String name = path.getFileName().toString();
            if (dev.kestrel.inference.vision.pdf.PdfPages.isPdf(bytes)) {
                return new NewAttachment(name, "application/pdf", bytes, 0, 0, parts.size(), pages);
            }
            RgbImage pixels = parts.getFirst().image().pixels().get();
            return NewAttachment.image(name, imageType(bytes), bytes, pixels.width(), pixels.height());
        }
    }

    static String imageType(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return "image/gif";
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return "image/webp";
        }
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
            return "image/bmp";
        }
        return "application/octet-stream";
    }

    static SamplingSettings settings(Sampling sampling) {
        return new SamplingSettings(sampling.temperature(), sampling.topP(), sampling.topK(), sampling.minP(),
                sampling.repetitionPenalty(), sampling.seed());
    }

    public long conversationId() {
        return conversationId;
    }

    public long questionId() {
        return questionId;
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
