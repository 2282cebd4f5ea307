package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kestrel bench-vision reports its figures; their values are for docs/bench, not for a test to assert. */
class VisionBenchCommandTest {

    @TempDir
    Path home;

    @Test
    void reportsEveryBatchSizeAndBothTimesToFirstToken() throws IOException {
        Path smolvlm = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-smolvlm");
        CliRun run = CliRun.of("bench-vision", "--home", home.toString(), "--model", smolvlm.toString(), "--image",
                smolvlm.resolve("reference/shapes-150x90.png").toString(), "--batches", "1,4", "--runs", "1", "--json");

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("grid").asText()).isEqualTo("4:3+thumbnail");
        assertThat(report.get("tiles").asInt()).isEqualTo(13);
        assertThat(report.get("image_tokens").asInt()).isEqualTo(208);
        assertThat(report.get("encode")).extracting(b -> b.get("batch").asInt()).containsExactly(1, 4);
        assertThat(report.get("ttft_ratio").asDouble()).isPositive();
        assertThat(report.get("ttft_image_not_encoded_ms").asDouble()).isGreaterThan(report.get("ttft_image_encoded_ms").asDouble());
    }

    @Test
    void aTextOnlyModelIsToldItCannotBeBenchmarkedForImages() {
        Path text = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-qwen3");
        Path image = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-smolvlm/reference/shapes-150x90.png");
        CliRun run = CliRun.of("bench-vision", "--home", home.toString(), "--model", text.toString(), "--image", image.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kestrel: model 'tiny-qwen3' reads text only; bench-vision needs a vision model\n");
    }
}
