package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kestrel bench reports its figures; what they are is for docs/bench, not for a test to assert. */
class BenchCommandTest {

    @TempDir
    Path home;

    @Test
    void benchDecodesTheTokensAskedForAndReportsEveryFigure() throws IOException {
        Path qwen3 = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-qwen3");
        CliRun run = CliRun.of("bench", "--home", home.toString(), "--model", qwen3.toString(), "--variant", "fp32",
                "--tokens", "12", "--runs", "1", "--contexts", "16,64", "--json");

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("tokens")).hasSize(12);
        assertThat(report.get("decode_tokens_per_s").asDouble()).isPositive();
        assertThat(report.get("engine_overhead").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(report.get("context_curve")).extracting(p -> p.get("context").asInt()).containsExactly(16, 64);
        assertThat(CliRun.of("bench", "--home", home.toString(), "--model", qwen3.toString(), "--tokens", "1").err())
                .isEqualTo("kestrel: --tokens must be at least 2 and --runs at least 1\n");
    }
}
