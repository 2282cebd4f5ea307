package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kestrel ask --image on the tiny SmolVLM fixture, against its PyTorch goldens. */
class AskImageTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SMOLVLM = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-smolvlm");
    static final Path SHAPES = SMOLVLM.resolve("reference/shapes-150x90.png");

    @TempDir
    Path home;

    private CliRun ask(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("ask", "--home", home.toString(), "--model", SMOLVLM.toString(), "--greedy",
                "--max-tokens", "16"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void anImageQuestionGetsPyTorchsGreedyAnswerAndTheSecondTimeNoVisionWork() throws IOException {
        JsonNode golden = JSON.readTree(SMOLVLM.resolve("reference/reference.json").toFile()).get("cases").get(0);

        CliRun first = ask("--json", "--image", SHAPES.toString(), "What is in this picture?");
        assertThat(first.err()).isEmpty();
        JsonNode answer = JSON.readTree(first.out());
        assertThat(answer.get("tokens")).isEqualTo(golden.get("greedy_tokens"));
        assertThat(answer.get("usage").get("image_tokens").asInt()).isEqualTo(208);
        assertThat(answer.get("usage").get("prompt_tokens").asInt()).isEqualTo(251);
        assertThat(answer.get("timings_ms").get("image_encode").asDouble()).isPositive();

        JsonNode again = JSON.readTree(ask("--json", "--image", SHAPES.toString(), "What is in this picture?").out());
        assertThat(again.get("tokens")).isEqualTo(golden.get("greedy_tokens"));
        assertThat(again.get("timings_ms").get("image_encode").asDouble()).isZero();
        assertThat(Files.list(home.resolve("cache/image-embeddings"))).hasSize(1);
    }

    @Test
    void theStreamedAnswerIsTheAnswerText() {
        CliRun run = ask("--image", SHAPES.toString(), "What is in this picture?");
        assertThat(run.out()).isEqualTo(" A red circle, a blue box and a green triangle.\n");
    }

    @Test
    void aPdfAttachmentGivesOneImageAPage() throws IOException {
        Path pdf = home.resolve("note.pdf");
        try (var document = new org.apache.pdfbox.pdmodel.PDDocument()) {
            for (int i = 1; i <= 2; i++) {
                var page = new org.apache.pdfbox.pdmodel.PDPage(org.apache.pdfbox.pdmodel.common.PDRectangle.A6);
                document.addPage(page);
                try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
                            org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 12);
                    content.newLineAtOffset(20, 300);
                    content.showText("Total due: 42 euros");
                    content.endText();
                }
            }
            document.save(pdf.toFile());
        }
        JsonNode both = JSON.readTree(ask("--json", "--image", pdf.toString(), "What is this?").out());
        JsonNode one = JSON.readTree(ask("--json", "--pages", "2", "--image", pdf.toString(), "What is this?").out());
        // A6 portrait at the fixture's 256-pixel longest edge: 182x256 -> 4 rows x 3 columns + the global image, 16 tokens each.
        assertThat(one.get("usage").get("image_tokens").asInt()).isEqualTo(13 * 16);
        assertThat(both.get("usage").get("image_tokens").asInt()).isEqualTo(2 * 13 * 16);

        // --pdf-text puts each page's text layer before the question; the images stay as they were.
        JsonNode withText = JSON.readTree(ask("--json", "--pages", "2", "--pdf-text", "--image", pdf.toString(), "What is this?").out());
        assertThat(withText.get("usage").get("image_tokens").asInt()).isEqualTo(13 * 16);
        assertThat(withText.get("usage").get("prompt_tokens").asInt()).isGreaterThan(one.get("usage").get("prompt_tokens").asInt() + 10);
    }

    @Test
    void badImagesAndPoliciesAreBadInputWithOnePlainLine() throws IOException {
        Path text = Files.writeString(home.resolve("notes.png"), "not a picture");
        CliRun run = ask("--image", text.toString(), "What is this?");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kestrel: image 'notes.png' is not a PNG, JPEG, WebP, BMP or GIF\n");

        CliRun missing = ask("--image", home.resolve("gone.png").toString(), "What is this?");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("kestrel: image '").contains("gone.png' does not exist");

        CliRun policy = ask("--tiling", "mosaic", "--image", SHAPES.toString(), "What is this?");
        assertThat(policy.status()).isEqualTo(2);
        assertThat(policy.err()).startsWith("kestrel: unknown --tiling 'mosaic'");
    }

    @Test
    void aBatchTakesImagesRelativeToItsFile() throws IOException {
        Files.copy(SHAPES, home.resolve("shapes.png"));
        Path batch = Files.writeString(home.resolve("requests.jsonl"), """
                {"prompt": "What is in this picture?", "images": ["shapes.png"]}
                {"prompt": "What is in this picture?", "images": ["absent.png"]}
                """);
        CliRun run = CliRun.of("ask", "--home", home.toString(), "--model", SMOLVLM.toString(), "--greedy", "--max-tokens", "16",
                "--batch", batch.toString());
        List<JsonNode> lines = run.out().lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        assertThat(lines.get(0).get("text").asText()).isEqualTo(" A red circle, a blue box and a green triangle.");
        assertThat(lines.get(1).get("error").asText()).contains("absent.png").contains("does not exist");
    }
}
