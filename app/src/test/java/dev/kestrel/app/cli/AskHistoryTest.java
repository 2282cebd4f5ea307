package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.app.BundledModels;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageAttachment;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.Role;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kestrel ask --db FILE [--conversation ID]}: the turn is kept, and a conversation continues. */
class AskHistoryTest {

    @TempDir
    Path home;

    private CliRun ask(Path model, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("ask", "--home", home.toString(), "--model", model.toString(),
                "--db", home.resolve("history.db").toString(), "--greedy", "--json"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void theTurnIsStoredAndTheConversationContinues() throws Exception {
        CliRun first = ask(BundledModels.model("fixtures/tiny-decoder"), "--max-tokens", "8", "hello");
        assertThat(first.err()).isEmpty();
        assertThat(first.status()).isZero();
        JsonNode answer = AskCommandTest.JSON.readTree(first.out());
        long conversation = answer.get("conversation_id").asLong();
        long reply = answer.get("message_id").asLong();

        CliRun second = ask(BundledModels.model("fixtures/tiny-decoder"), "--max-tokens", "4", "--conversation", String.valueOf(conversation),
                "and then?");
        assertThat(second.status()).isZero();
        JsonNode next = AskCommandTest.JSON.readTree(second.out());
        assertThat(next.get("conversation_id").asLong()).isEqualTo(conversation);
        // The second prompt holds the first turn too.
        assertThat(next.get("usage").get("prompt_tokens").asInt()).isGreaterThan(answer.get("usage").get("prompt_tokens").asInt());

        try (Database db = Database.open(home.resolve("history.db"))) {
            assertThat(db.conversations().find(conversation).orElseThrow().title()).isEqualTo("hello");
            List<Message> thread = db.messages().thread(next.get("message_id").asLong());
            assertThat(thread).extracting(Message::role).containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
            assertThat(thread).extracting(Message::status).containsOnly(MessageStatus.COMPLETE);
            Message stored = thread.get(1);
            assertThat(stored.id()).isEqualTo(reply);
            assertThat(stored.content()).isEqualTo(answer.get("text").asText());
            assertThat(stored.sampling().greedy()).isTrue();
            assertThat(stored.metrics().completionTokens()).isEqualTo(8);
            assertThat(stored.metrics().device()).isEqualTo("CPUExecutionProvider");
            assertThat(thread.get(2).content()).isEqualTo("and then?");
        }
    }

    @Test
    void aNewConversationStartsWithTheDefaultSystemPromptWhichTheModelReadsAndItsBudgetIsKept() throws Exception {
        Path qwen3 = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-qwen3");
        JsonNode plain = AskCommandTest.JSON.readTree(ask(qwen3, "--max-tokens", "4", "--no-think", "hello").out());
        try (Database db = Database.open(home.resolve("history.db"))) {
            db.settings().put(dev.kestrel.app.chat.ChatService.DEFAULT_SYSTEM_PROMPT, "Answer in one short sentence.");
        }
        CliRun run = ask(qwen3, "--max-tokens", "4", "--think-budget", "64", "hello");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode prompted = AskCommandTest.JSON.readTree(run.out());
        assertThat(prompted.get("usage").get("prompt_tokens").asInt()).as("the system prompt is read")
                .isGreaterThan(plain.get("usage").get("prompt_tokens").asInt());
        long conversation = prompted.get("conversation_id").asLong();
        try (Database db = Database.open(home.resolve("history.db"))) {
            assertThat(db.conversations().find(conversation).orElseThrow().systemPrompt()).isEqualTo("Answer in one short sentence.");
            assertThat(db.conversations().find(conversation).orElseThrow().thinkBudget()).hasValue(64);
            assertThat(db.conversations().find(plain.get("conversation_id").asLong()).orElseThrow().thinkBudget()).hasValue(0);
        }
        // Continued, the conversation's system prompt still comes first.
        CliRun next = ask(qwen3, "--max-tokens", "4", "--no-think", "--conversation", String.valueOf(conversation), "and?");
        assertThat(next.status()).as(next.err()).isZero();
    }

    @Test
    void anAttachedImageIsKeptWithTheQuestion() throws Exception {
        Path smolvlm = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-smolvlm");
        Path image = smolvlm.resolve("reference/shapes-150x90.png");
        CliRun run = ask(smolvlm, "--max-tokens", "3", "--image", image.toString(), "What is this?");
        assertThat(run.status()).as(run.err()).isZero();
        long reply = AskCommandTest.JSON.readTree(run.out()).get("message_id").asLong();
        try (Database db = Database.open(home.resolve("history.db"))) {
            Message question = db.messages().thread(reply).getFirst();
            List<MessageAttachment> attached = db.attachments().ofMessage(question.id());
            assertThat(attached).singleElement().satisfies(a -> {
                assertThat(a.name()).isEqualTo("shapes-150x90.png");
                assertThat(a.attachment().mimeType()).isEqualTo("image/png");
                assertThat(a.attachment().width()).isEqualTo(150);
                assertThat(a.attachment().height()).isEqualTo(90);
            });
            assertThat(db.attachments().bytes(attached.getFirst().attachment().sha256()))
                    .isEqualTo(java.nio.file.Files.readAllBytes(image));
        }
    }

    @Test
    void anUnknownConversationOrAMisplacedFlagIsAPlainError() {
        CliRun unknown = ask(BundledModels.model("fixtures/tiny-decoder"), "--conversation", "999", "hello");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("kestrel: conversation 999 is not in the history ");

        CliRun alone = CliRun.of("ask", "--home", home.toString(), "--conversation", "1", "hello");
        assertThat(alone.status()).isEqualTo(2);
        assertThat(alone.err()).contains("--conversation needs --db FILE");
    }
}
