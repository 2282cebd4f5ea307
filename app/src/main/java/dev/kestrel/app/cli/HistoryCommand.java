package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.app.AppException;
import dev.kestrel.storage.Conversation;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageAttachment;
import dev.kestrel.storage.SearchHit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kestrel history}: the stored conversations, listed, searched and shown. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Lists, searches and shows stored conversations.",
        subcommands = {HistoryCommand.ListCommand.class, HistoryCommand.SearchCommand.class, HistoryCommand.ShowCommand.class,
                HistoryCommand.ExportCommand.class, HistoryCommand.ImportCommand.class, HistoryCommand.DeleteCommand.class,
                HistoryBench.class})
final class HistoryCommand implements Runnable {

    @ParentCommand
    KestrelCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every history command shares. */
    static final class Source {
        @Option(names = "--db", paramLabel = "FILE", description = "The history database (default: the one in Kestrel's data folder).")
        Path db;

        @Option(names = "--json", description = "One JSON object a line instead of text.")
        boolean json;
    }

    /** The history database: --db FILE (which must exist when {@code mustExist}), or the data folder's. */
    private Database open(Source source, boolean mustExist) {
        Path file = source.db != null ? source.db : cli.paths().database();
        if (mustExist && source.db != null && !java.nio.file.Files.isRegularFile(file)) {
            throw new AppException("history database '" + file + "' does not exist");
        }
        Database database = Database.open(file);
        database.damagedCopy().ifPresent(copy -> spec.commandLine().getErr().println(
                "kestrel: note: the history database was damaged; it is kept at " + copy + " and a new one was started"));
        return database;
    }

    /** A history subcommand: it runs with the database open and prints to {@code out}. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        HistoryCommand history;

        @CommandLine.Mixin
        Source source = new Source();

        /** Checks the arguments before the database is opened. */
        void validate() {}

        /** Whether --db FILE must exist already. */
        boolean mustExist() {
            return true;
        }

        abstract void run(Database db, PrintWriter out) throws java.io.IOException;

        CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(history.spec.commandLine(), message);
        }

        @Override
        public final Integer call() throws java.io.IOException {
            validate();
            PrintWriter out = history.spec.commandLine().getOut();
            try (Database db = history.open(source, mustExist())) {
                run(db, out);
            }
            out.flush();
            return 0;
        }
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    static ObjectNode conversationJson(Conversation c) {
        ObjectNode json = JsonLines.MAPPER.createObjectNode();
        json.put("id", c.id());
        json.put("title", c.title());
        json.put("model", c.model());
        json.put("created_at", c.createdAt().toString());
        json.put("updated_at", c.updatedAt().toString());
        json.put("pinned", c.pinned());
        json.put("archived", c.archived());
        return json;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists conversations: pinned first, then the most recent.")
    static final class ListCommand extends Subcommand {

        @Option(names = "--archived", description = "List the archived conversations instead.")
        boolean archived;

        @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the first N (default ${DEFAULT-VALUE}).")
        int offset;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "List at most N (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void run(Database db, PrintWriter out) {
            for (Conversation c : db.conversations().page(archived, offset, limit)) {
                out.println(source.json ? JsonLines.write(conversationJson(c))
                        : c.id() + "\t" + c.updatedAt() + "\t" + (c.pinned() ? "[pinned] " : "") + c.title());
            }
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "Finds QUERY's words in titles and messages, best matches first; matches are shown [like this].")
    static final class SearchCommand extends Subcommand {

        @Option(names = "--offset", paramLabel = "N", defaultValue = "0")
        int offset;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20")
        int limit;

        @Parameters(paramLabel = "QUERY", arity = "1..*", description = "The words to find.")
        List<String> words;

        @Override
        void run(Database db, PrintWriter out) {
            for (SearchHit hit : db.search().search(String.join(" ", words), offset, limit)) {
                if (source.json) {
                    ObjectNode json = JsonLines.MAPPER.createObjectNode();
                    json.put("conversation_id", hit.conversationId());
                    json.put("title", hit.title());
                    if (hit.messageId().isPresent()) {
                        json.put("message_id", hit.messageId().getAsLong());
                    } else {
                        json.putNull("message_id");
                    }
                    json.put("snippet", hit.snippet().text());
                    ArrayNode ranges = json.putArray("highlights");
                    hit.snippet().highlights().forEach(r -> ranges.addArray().add(r.start()).add(r.end()));
                    out.println(JsonLines.write(json));
                } else {
                    String where = hit.conversationId() + (hit.messageId().isPresent() ? "/" + hit.messageId().getAsLong() : "");
                    out.println(where + "\t" + hit.title() + "\t" + marked(hit.snippet()).replace('\n', ' '));
                }
            }
        }

        static String marked(SearchHit.Snippet snippet) {
            StringBuilder text = new StringBuilder(snippet.text());
            List<SearchHit.Range> ranges = snippet.highlights();
            for (int i = ranges.size() - 1; i >= 0; i--) {
                text.insert(ranges.get(i).end(), ']').insert(ranges.get(i).start(), '[');
            }
            return text.toString();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows conversation ID: its latest branch, message by message.")
    static final class ShowCommand extends Subcommand {

        @Parameters(paramLabel = "ID", description = "The conversation's number (see 'kestrel history list').")
        long id;

        @Override
        void run(Database db, PrintWriter out) {
            Conversation conversation = db.conversations().find(id)
                    .orElseThrow(() -> new AppException("conversation " + id + " is not in the history " + db.file()));
            List<Message> thread = db.messages().latestBranch(id);
            if (source.json) {
                ObjectNode json = conversationJson(conversation);
                ArrayNode messages = json.putArray("messages");
                for (Message m : thread) {
                    ObjectNode message = messages.addObject();
                    message.put("id", m.id());
                    message.put("role", lower(m.role()));
                    message.put("content", m.content());
                    message.put("thinking", m.thinking());
                    message.put("status", lower(m.status()));
                    ArrayNode files = message.putArray("attachments");
                    for (MessageAttachment a : db.attachments().ofMessage(m.id())) {
                        files.addObject().put("name", a.name()).put("mime_type", a.attachment().mimeType())
                                .put("sha256", a.attachment().sha256()).put("size", a.attachment().size());
                    }
                }
                out.println(JsonLines.write(json));
            } else {
                out.println("# " + conversation.title());
                for (Message m : thread) {
                    out.println();
                    out.println("## " + lower(m.role()) + (m.status() == dev.kestrel.storage.MessageStatus.COMPLETE ? ""
                            : " (" + lower(m.status()) + ")"));
                    for (MessageAttachment a : db.attachments().ofMessage(m.id())) {
                        out.println("[attached: " + a.name() + "]");
                    }
                    out.println(m.content());
                }
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes conversations (all, or those given) as one JSON file with their images, or as Markdown files.")
    static final class ExportCommand extends Subcommand {

        @Option(names = "--conversation", paramLabel = "ID", description = "Export this conversation; repeatable (default: all).")
        List<Long> conversations = new java.util.ArrayList<>();

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
                description = "json (everything, for import) or markdown (to read; the latest branch) (default ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--out", paramLabel = "PATH", required = true,
                description = "The JSON file to write, or the folder for Markdown files.")
        Path out;

        @Override
        void validate() {
            if (!format.equals("json") && !format.equals("markdown")) {
                throw usage("--format is json or markdown, not '" + format + "'");
            }
        }

        @Override
        void run(Database db, PrintWriter text) throws java.io.IOException {
            List<Long> ids = conversations.isEmpty() ? db.conversations().ids() : conversations;
            if (format.equals("json")) {
                Path partial = out.resolveSibling(out.getFileName() + ".partial");
                JsonLines.MAPPER.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(),
                        dev.kestrel.app.history.HistoryArchive.export(db, ids));
                java.nio.file.Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                dev.kestrel.app.history.MarkdownExport.write(db, ids, out);
            }
            text.println("exported " + ids.size() + " conversation" + (ids.size() == 1 ? "" : "s") + " to " + out);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Adds the conversations of a JSON export to the history, as new conversations.")
    static final class ImportCommand extends Subcommand {

        @Parameters(paramLabel = "FILE", description = "A file written by 'kestrel history export'.")
        Path file;

        private com.fasterxml.jackson.databind.JsonNode archive;

        @Override
        void validate() {
            try {
                archive = JsonLines.MAPPER.readTree(file.toFile());
            } catch (java.io.IOException e) {
                throw new AppException("cannot read '" + file + "' as JSON: " + e.getMessage());
            }
        }

        /** Importing into a new database file is fine. */
        @Override
        boolean mustExist() {
            return false;
        }

        @Override
        void run(Database db, PrintWriter out) {
            List<Long> ids = dev.kestrel.app.history.HistoryArchive.importInto(db, archive);
            out.println("imported " + ids.size() + " conversation" + (ids.size() == 1 ? "" : "s") + ": "
                    + ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes conversations with their messages and the files nothing else uses.")
    static final class DeleteCommand extends Subcommand {

        @Parameters(paramLabel = "ID", arity = "0..*", description = "The conversations to delete.")
        List<Long> ids = new java.util.ArrayList<>();

        @Option(names = "--all", description = "Delete the whole history.")
        boolean all;

        @Override
        void validate() {
            if (all == !ids.isEmpty()) {
                throw usage("give conversation IDs or --all, not both or neither");
            }
        }

        @Override
        void run(Database db, PrintWriter out) {
            if (all) {
                int count = db.conversations().count();
                db.conversations().deleteAll();
                out.println("deleted all " + count + " conversations");
                return;
            }
            for (long id : ids) {
                if (!db.conversations().delete(id)) {
                    throw new AppException("conversation " + id + " is not in the history " + db.file());
                }
                out.println("deleted conversation " + id);
            }
        }
    }
}
