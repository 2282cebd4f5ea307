package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.app.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled demo model, end to end through {@code kestrel ask} with no model chosen: it sees its
 * example pictures, reads, adds with and without thinking, keeps to a thinking budget and introduces
 * itself. A wrong tile, mask, position or cache anywhere in the engine shows up here as a wrong answer.
 */
class DemoModelTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EXAMPLES = BundledModels.defaultModel().resolve("examples");

    @TempDir
    static Path home;

    static List<JsonNode> replies;

    @BeforeAll
    static void askTheDemoModel() throws IOException {
        Path requests = home.resolve("requests.jsonl");
        Files.writeString(requests, String.join("\n",
                request("What color is the circle?", "shapes.png", "0"),
                request("How many triangles are there?", "shapes.png", "0"),
                request("How many shapes are there?", "shapes-wide.png", "0"),
                request("What does the text say?", "text.png", "0"),
                request("What is 457 + 385?", null, "null"),
                request("What is 457 + 385?", null, "8"),
                request("Who are you?", null, "0")) + "\n");
        CliRun run = CliRun.of("ask", "--home", home.toString(), "--greedy", "--batch", requests.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        replies = run.out().lines().map(DemoModelTest::parse).toList();
        assertThat(replies).hasSize(7);
    }

    private static String request(String prompt, String image, String budget) {
        String images = image == null ? "" : ", \"images\": [\"" + EXAMPLES.resolve(image) + "\"]";
        return "{\"prompt\": \"" + prompt + "\"" + images + ", \"think_budget\": " + budget + "}";
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    @Test
    void itNamesAColourAndCountsShapes() {
        // shapes.png: a red circle, a purple and a yellow triangle. How often colours are right over many
        // pictures is measured in docs/bench/demo-model.md.
        assertThat(replies.get(0).get("text").asText()).isEqualTo("red");
        assertThat(replies.get(1).get("text").asText()).isEqualTo("2");
        assertThat(replies.get(2).get("text").asText()).isEqualTo("4");
        assertThat(replies.get(0).get("usage").get("image_tokens").asInt()).isEqualTo(64);
    }

    @Test
    void itReadsShortText() {
        assertThat(replies.get(3).get("text").asText()).isEqualTo("KESTRL");
    }

    @Test
    void itAddsColumnByColumnWhenThinking() {
        JsonNode thinking = replies.get(4);
        assertThat(thinking.get("text").asText()).isEqualTo("842");
        assertThat(thinking.get("thinking").asText())
                .startsWith("units: 7 + 5 = 12, write 2, carry 1")
                .contains("tens: 5 + 8 + 1 = 14, write 4, carry 1")
                .contains("hundreds: 4 + 3 + 1 = 8, write 8");
    }

    @Test
    void aThinkingBudgetCutsTheScratchpadShortAndTheModelStillAnswers() {
        JsonNode budget = replies.get(5);
        assertThat(budget.get("usage").get("thinking_tokens").asInt()).isLessThanOrEqualTo(8 + 30);
        assertThat(budget.get("thinking").asText()).doesNotContain("hundreds");
        assertThat(budget.get("text").asText()).matches("[0-9]+");
    }

    @Test
    void aGreetingGetsTheSelfIntroduction() {
        assertThat(replies.get(6).get("text").asText())
                .startsWith("Hello! I am Kestrel's demo model.")
                .contains("shapes").contains("add two numbers");
        assertThat(replies.get(6).get("thinking").asText()).isEmpty();
    }
}
