package dev.kestrel.app.chat;

import dev.kestrel.app.AppException;
import dev.kestrel.inference.generate.Sampling;
import dev.kestrel.inference.prompt.ChatMessage;
import dev.kestrel.inference.vision.Attachments;
import dev.kestrel.inference.vision.image.ImageFormat;
import dev.kestrel.inference.vision.image.RgbImage;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.NewAttachment;
import dev.kestrel.storage.SamplingSettings;
import java.nio.file.Path;
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
    private final List<ChatMessage> earlier;
    private final ReplyRecorder recorder;

    private HistoryTurn(long conversationId, List<ChatMessage> earlier, ReplyRecorder recorder) {
        this.conversationId = conversationId;
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
            before = database.messages().latestBranch(id);
        } else {
            id = database.conversations().create(ChatService.title(question), model).id();
        }
        OptionalLong parent = before.isEmpty() ? OptionalLong.empty() : OptionalLong.of(before.getLast().id());
        List<NewAttachment> stored = files.stream().map(f -> f.stored(pages)).toList();
        Message asked = database.messages().append(id, parent, dev.kestrel.storage.Role.USER, question, stored);
        Message reply = database.messages().startReply(id, asked.id(), model, settings(sampling));
        return new HistoryTurn(id, ChatService.asTurns(before), new ReplyRecorder(database, reply.id(), notices));
    }

    /** A file as the user attached it, with the images made from it. */
    public record AttachedFile(Path path, byte[] bytes, List<Attachments.Part> parts) {

        NewAttachment stored(String pages) {
            String name = path.getFileName().toString();
            if (dev.kestrel.inference.vision.pdf.PdfPages.isPdf(bytes)) {
                return new NewAttachment(name, "application/pdf", bytes, 0, 0, parts.size(), pages);
            }
            RgbImage pixels = parts.getFirst().image().pixels().get();
            String type = ImageFormat.sniff(bytes).map(ImageFormat::mimeType).orElse("application/octet-stream");
            return NewAttachment.image(name, type, bytes, pixels.width(), pixels.height());
        }
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
