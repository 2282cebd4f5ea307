package dev.kestrel.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.generate.GenerationRequest;
import dev.kestrel.inference.generate.GenerationResult;
import dev.kestrel.inference.generate.PreparedPrompt;
import dev.kestrel.inference.generate.Sampling;
import dev.kestrel.inference.generate.ThinkingBudget;
import dev.kestrel.inference.prompt.ChatMessage;
import dev.kestrel.inference.vision.image.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A real SmolVLM export (HuggingFaceTB/SmolVLM-256M-Instruct or -500M-Instruct in the
 * onnx-community layout), when KESTREL_SMOLVLM names its folder; skipped otherwise, since tests
 * never download weights.
 */
@EnabledIfEnvironmentVariable(named = "KESTREL_SMOLVLM", matches = ".+")
class RealSmolVlmTest {

    @Test
    void aScreenshotBecomesSmolVlmsTilesAndGetsAnAnswer() {
        BufferedImage screen = new BufferedImage(1920, 1080, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = screen.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1920, 1080);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 200));
        g.drawString("KESTREL", 480, 600);
        g.dispose();

        try (LanguageModel model = LanguageModel.load(Path.of(System.getenv("KESTREL_SMOLVLM")), EngineOptions.DEFAULT)) {
            EncodedImage image = model.encode(ImageInput.ofPixels("screen.png", "real-smolvlm-test", RgbImage.fromBufferedImage(screen)));
            // 1920x1080 -> 2048x1152 -> 2048x1536: 4 columns, 3 rows and the global image, 64 tokens each.
            assertThat(image.grid()).isEqualTo(new TileGrid(4, 3, true));
            assertThat(image.tokens()).isEqualTo(13 * 64);
            PreparedPrompt prompt = model.prompt(List.of(ChatMessage.user("What word is written in this image?", List.of(image))),
                    ThinkingBudget.OFF);
            GenerationResult answer = model.generate(GenerationRequest.of(prompt, Sampling.GREEDY, 24, ThinkingBudget.OFF), e -> {});
            System.out.println("SmolVLM says: " + answer.text());
            assertThat(answer.text()).isNotBlank();
            assertThat(answer.usage().imageTokens()).isEqualTo(13 * 64);
        }
    }
}
