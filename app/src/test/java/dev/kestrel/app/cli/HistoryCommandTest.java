package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.NewAttachment;
import dev.kestrel.storage.ReplyMetrics;
import dev.kestrel.storage.Role;
import dev.kestrel.storage.SamplingSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCommandTest {

    @TempDir
    Path home;

    long birds;
    long tax;

    @BeforeEach
    void someHistory() {
        try (Database db = Database.open(home.resolve("history.db"))) {
            tax = db.conversations().create("Tax return", "demo").id();
            db.messages().append(tax, OptionalLong.empty(), Role.USER, "Which form do I need?");
            birds = db.conversations().create("Birds of prey", "demo").id();
            Message question = db.messages().append(birds, OptionalLong.empty(), Role.USER, "Does a kestrel hover?",
                    List.of(NewAttachment.image("bird.png", "image/png", new byte[] {1, 2, 3}, 1, 1)));
            Message reply = db.messages().startReply(birds, question.id(), "demo", SamplingSettings.GREEDY);
            db.messages().finishReply(reply.id(), "Yes, a kestrel hovers while hunting.", "", MessageStatus.COMPLETE,
                    ReplyMetrics.NONE);
            db.conversations().pin(tax, true);
        }
    }

    private CliRun history(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("history"));
        all.addAll(List.of(args));
        all.addAll(List.of("--db", home.resolve("history.db").toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void listShowsPinnedFirst() throws Exception {
        CliRun run = history("list", "--json");
        assertThat(run.status()).as(run.err()).isZero();
        List<JsonNode> lines = run.out().lines().map(HistoryCommandTest::json).toList();
        assertThat(lines).extracting(n -> n.get("title").asText()).containsExactly("Tax return", "Birds of prey");
        assertThat(lines.getFirst().get("pinned").asBoolean()).isTrue();
        assertThat(history("list").out().lines().toList()).hasSize(2).first().asString().endsWith("[pinned] Tax return");
    }

    @Test
    void searchFindsAndMarksTheWords() {
        CliRun run = history("search", "kestrel");
        assertThat(run.status()).isZero();
        assertThat(run.out().lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line).contains("[kestrel]"));
        JsonNode hit = json(history("search", "--json", "hovers while").out().lines().findFirst().orElseThrow());
        assertThat(hit.get("conversation_id").asLong()).isEqualTo(birds);
        String snippet = hit.get("snippet").asText();
        assertThat(hit.get("highlights")).extracting(r -> snippet.substring(r.get(0).asInt(), r.get(1).asInt()))
                .containsExactly("hovers", "while");
        assertThat(history("search", "nothing-like-this").out()).isEmpty();
    }

    @Test
    void showPrintsTheConversation() {
        CliRun run = history("show", String.valueOf(birds));
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(String.join("\n", "# Birds of prey", "", "## user", "[attached: bird.png]",
                "Does a kestrel hover?", "", "## assistant", "Yes, a kestrel hovers while hunting.", ""));
        JsonNode json = json(history("show", "--json", String.valueOf(birds)).out());
        assertThat(json.get("messages")).hasSize(2);
        assertThat(json.get("messages").get(0).get("attachments").get(0).get("name").asText()).isEqualTo("bird.png");

        CliRun missing = history("show", "404");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("kestrel: conversation 404 is not in the history");
    }

    @Test
    void exportAndImportCarryTheHistoryToAnotherDatabase() throws Exception {
        Path file = home.resolve("export.json");
        CliRun exported = history("export", "--out", file.toString());
        assertThat(exported.status()).as(exported.err()).isZero();
        assertThat(exported.out()).isEqualTo("exported 2 conversations to " + file + "\n");

        Path other = home.resolve("other.db");
        CliRun imported = CliRun.of("history", "import", "--db", other.toString(), file.toString());
        assertThat(imported.status()).as(imported.err()).isZero();
        assertThat(imported.out()).startsWith("imported 2 conversations: ");
        CliRun listed = CliRun.of("history", "list", "--db", other.toString());
        assertThat(listed.out().lines().map(line -> line.substring(line.lastIndexOf('\t') + 1)))
                .containsExactly("[pinned] Tax return", "Birds of prey");

        CliRun markdown = history("export", "--format", "markdown", "--conversation", String.valueOf(birds), "--out",
                home.resolve("md").toString());
        assertThat(markdown.status()).isZero();
        assertThat(java.nio.file.Files.readString(home.resolve(String.format("md/%04d-birds-of-prey.md", birds))))
                .contains("Does a kestrel hover?");

        CliRun notAnExport = CliRun.of("history", "import", "--db", other.toString(), home.resolve("history.db").toString());
        assertThat(notAnExport.status()).isEqualTo(2);
        assertThat(notAnExport.err()).startsWith("kestrel: cannot read '");
    }

    @Test
    void deleteRemovesConversationsOrEverything() {
        CliRun one = history("delete", String.valueOf(tax));
        assertThat(one.status()).as(one.err()).isZero();
        assertThat(one.out()).isEqualTo("deleted conversation " + tax + "\n");
        assertThat(history("list").out().lines()).hasSize(1);
        assertThat(history("delete", String.valueOf(tax)).err()).startsWith("kestrel: conversation " + tax + " is not in the history");
        assertThat(history("delete").status()).isEqualTo(2);

        assertThat(history("delete", "--all").out()).isEqualTo("deleted all 1 conversations\n");
        assertThat(history("list").out()).isEmpty();
        try (Database db = Database.open(home.resolve("history.db"))) {
            assertThat(db.attachments().count()).isZero();
        }
    }

    @Test
    void aMissingDatabaseFileIsAPlainError() {
        CliRun run = CliRun.of("history", "list", "--db", home.resolve("nope.db").toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("kestrel: history database '").contains("nope.db' does not exist");
    }

    @Test
    void withoutDbTheDataFolderHistoryIsUsed() {
        CliRun run = CliRun.of("history", "list", "--home", home.resolve("data").toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(home.resolve("data")).isDirectory();
    }

    private static JsonNode json(String line) {
        try {
            return AskCommandTest.JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
