package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TilesCommandTest {

    @Test
    void printsOneJsonObjectPerSizeInTheContractsShape() {
        CliRun run = CliRun.of("tiles", "--policy", "relaxed", "1080x2400", "380x393");

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("""
                {"width":1080,"height":2400,"cols":2,"rows":4,"tiles":8,"thumbnail":true}
                {"width":380,"height":393,"cols":1,"rows":1,"tiles":1,"thumbnail":false}
                """);
    }

    @Test
    void tileSizeAndBudgetChangeTheGrid() {
        CliRun run = CliRun.of("tiles", "--policy", "internvl", "--max-tiles", "4", "--tile-size", "448", "380x76");

        assertThat(run.out()).isEqualTo("{\"width\":380,\"height\":76,\"cols\":4,\"rows\":1,\"tiles\":4,\"thumbnail\":true}\n");
    }

    @Test
    void badSizesAndPoliciesGetOnePlainLineAndStatusTwo() {
        CliRun size = CliRun.of("tiles", "--policy", "relaxed", "1080by2400");
        assertThat(size.status()).isEqualTo(2);
        assertThat(size.err()).isEqualTo("kestrel: '1080by2400' is not an image size; write it as WIDTHxHEIGHT, e.g. 1080x2400\n");

        CliRun policy = CliRun.of("tiles", "--policy", "mosaic", "10x10");
        assertThat(policy.status()).isEqualTo(2);
        assertThat(policy.err()).startsWith("kestrel: unknown tiling policy 'mosaic'");
    }
}
