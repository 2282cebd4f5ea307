package dev.kestrel.app.history;

import dev.kestrel.app.AppException;
import dev.kestrel.storage.Conversation;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageAttachment;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Conversations as Markdown to read or share: one file each, {@code NNNN-title.md}, with the
 * attached files under {@code files/} beside them (images shown inline, other files linked). Only
 * each conversation's latest branch is written; the JSON export keeps everything.
 */
public final class MarkdownExport {

    private static final Map<String, String> EXTENSIONS = Map.of("image/png", "png", "image/jpeg", "jpg", "image/gif", "gif",
            "image/webp", "webp", "image/bmp", "bmp", "application/pdf", "pdf");

    private MarkdownExport() {}

    /** Writes the conversations into {@code folder}; returns the Markdown files written. */
    public static List<Path> write(Database db, List<Long> conversationIds, Path folder) {
        try {
            Files.createDirectories(folder.resolve("files"));
            return conversationIds.stream().map(id -> writeOne(db, id, folder)).toList();
        } catch (IOException e) {
            throw new AppException("cannot write the export to " + folder + ": " + e.getMessage());
        }
    }

    private static Path writeOne(Database db, long id, Path folder) {
        Conversation c = db.conversations().find(id)
                .orElseThrow(() -> new AppException("conversation " + id + " is not in the history " + db.file()));
        List<Message> thread = db.messages().latestBranch(id);
        StringBuilder md = new StringBuilder();
        md.append("# ").append(c.title()).append("\n\n");
        md.append("_").append(c.model().isEmpty() ? "" : c.model() + " · ").append("started ").append(c.createdAt())
                .append(", last active ").append(c.updatedAt()).append("_\n");
        if (!c.systemPrompt().isEmpty()) {
            md.append("\n> System prompt: ").append(c.systemPrompt().replace("\n", "\n> ")).append('\n');
        }
        try {
            for (Message m : thread) {
                md.append("\n## ").append(m.role() == Role.USER ? "You" : m.role() == Role.ASSISTANT ? "Kestrel" : "System");
                if (m.status() != MessageStatus.COMPLETE) {
                    md.append(" (").append(m.status().name().toLowerCase(Locale.ROOT)).append(')');
                }
                md.append("\n\n");
                for (MessageAttachment a : db.attachments().ofMessage(m.id())) {
                    String extension = EXTENSIONS.getOrDefault(a.attachment().mimeType(), "bin");
                    String file = "files/" + a.attachment().sha256() + "." + extension;
                    Path target = folder.resolve(file);
                    if (!Files.exists(target)) {
                        Files.write(target, db.attachments().bytes(a.attachment().sha256()));
                    }
                    String label = a.name().replace("]", "\\]");
                    md.append(a.attachment().mimeType().startsWith("image/") ? "!" : "").append('[').append(label).append("](")
                            .append(file).append(")\n\n");
                }
                if (!m.thinking().isEmpty()) {
                    md.append("<details><summary>Thinking</summary>\n\n").append(m.thinking().strip()).append("\n\n</details>\n\n");
                }
                md.append(m.content().strip()).append('\n');
            }
            Path out = folder.resolve(String.format("%04d-%s.md", id, slug(c.title())));
            Files.writeString(out, md);
            return out;
        } catch (IOException e) {
            throw new AppException("cannot write the export to " + folder + ": " + e.getMessage());
        }
    }

    static String slug(String title) {
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "-").replaceAll("(^-|-$)", "");
        slug = slug.length() > 60 ? slug.substring(0, 60).replaceAll("-$", "") : slug;
        return slug.isEmpty() ? "conversation" : slug;
    }
}
