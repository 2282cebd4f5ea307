package dev.kestrel.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.inference.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TilingPolicyTest {

    private static TileGrid grid(String policy, int width, int height) {
        return TilingPolicy.named(policy, TileSettings.DEFAULT).choose(width, height);
    }

    private static String ratio(TileGrid grid) {
        return grid.cols() + ":" + grid.rows();
    }

    /** BlueLM-V-3B (arXiv 2411.10640), Figure 3 and section 3.2: the published cases, 384-pixel tiles, 9 tiles allowed. */
    @ParameterizedTest(name = "{0}x{1}: relaxed {2}, {3} {4}")
    @CsvSource({
        "380, 393, 1:1, llava-next, 1:2",
        "394, 390, 1:1, llava-next, 2:2",
        "500, 102, 2:1, internvl, 5:1",
        "380, 76, 1:1, internvl, 5:1",
        "1080, 2400, 2:4, llava-next, 2:4",
    })
    void relaxedMatchingReproducesThePapersCases(int width, int height, String relaxed, String peer, String peerRatio) {
        assertThat(ratio(grid("relaxed", width, height))).isEqualTo(relaxed);
        assertThat(ratio(grid(peer, width, height))).isEqualTo(peerRatio);
    }

    @Test
    void candidatesComeLargestGridFirstByTilesThenColumnsThenRows() {
        assertThat(TilingPolicy.candidatesLargestFirst(4)).extracting(TilingPolicyTest::ratio)
                .containsExactly("4:1", "2:2", "1:4", "3:1", "1:3", "2:1", "1:2", "1:1");
    }

    @Test
    void aThumbnailJoinsMultiTileGridsOnlyExceptInLlavaNextWhichAlwaysHasItsBaseImage() {
        assertThat(grid("relaxed", 380, 393).thumbnail()).isFalse();
        assertThat(grid("relaxed", 1080, 2400).thumbnail()).isTrue();
        assertThat(grid("internvl", 300, 300).thumbnail()).isFalse();
        assertThat(grid("internvl", 380, 76).thumbnail()).isTrue();
        assertThat(grid("llava-next", 300, 300).thumbnail()).isTrue();
    }

    @Test
    void relaxedNeverExceedsTheTileBudget() {
        TilingPolicy policy = TilingPolicy.named("relaxed", new TileSettings(384, 6));
        for (int w = 1; w < 5000; w += 97) {
            for (int h = 1; h < 5000; h += 89) {
                assertThat(policy.choose(w, h).tiles()).isBetween(1, 6);
            }
        }
    }

    @Test
    void internVlPrefersTheLargerGridOnATieWhenTheImageIsBigEnough() {
        // 1:1, 2:2 and 3:3 have the same aspect ratio; 600x600 has more than half of 2:2's pixels, not of 3:3's.
        assertThat(ratio(grid("internvl", 600, 600))).isEqualTo("2:2");
        assertThat(ratio(grid("internvl", 1000, 1000))).isEqualTo("3:3");
        assertThat(ratio(grid("internvl", 300, 300))).isEqualTo("1:1");
    }

    /** SmolVLM-256M/500M: 512-pixel tiles, longest edge 2048 (numbers worked through Idefics3ImageProcessor by hand). */
    @Test
    void idefics3ResizesThenRoundsUpToWholeTilesLikeSmolVlm() {
        Idefics3Tiling smolVlm = new Idefics3Tiling(new TileSettings(512, 16), 2048, true);
        assertThat(smolVlm.resizedSize(1080, 2400)).isEqualTo(new Size(922, 2048));
        assertThat(smolVlm.splitSize(1080, 2400)).isEqualTo(new Size(1024, 2048));
        assertThat(smolVlm.choose(1080, 2400)).isEqualTo(new TileGrid(2, 4, true));
        // Small images are scaled up to the longest edge too.
        assertThat(smolVlm.resizedSize(150, 90)).isEqualTo(new Size(2048, 1228));
        assertThat(smolVlm.choose(150, 90)).isEqualTo(new TileGrid(4, 3, true));
        assertThat(smolVlm.choose(512, 512)).isEqualTo(new TileGrid(4, 4, true));
        assertThat(new Idefics3Tiling(new TileSettings(512, 16), 2048, false).choose(1080, 2400)).isEqualTo(new TileGrid(1, 1, false));
        assertThat(new Idefics3Tiling(new TileSettings(512, 1), 512, true).choose(1920, 1080)).isEqualTo(new TileGrid(1, 1, false));
    }

    @Test
    void idefics3ForATileBudgetUsesTheLargestSquareGridWithinIt() {
        Idefics3Tiling policy = Idefics3Tiling.forBudget(new TileSettings(384, 9));
        assertThat(policy.longestEdge()).isEqualTo(1152);
        assertThat(policy.choose(1080, 2400)).isEqualTo(new TileGrid(2, 3, true));
    }

    @Test
    void unknownPoliciesAndEmptyImagesAreRefusedPlainly() {
        assertThatThrownBy(() -> TilingPolicy.named("mosaic", TileSettings.DEFAULT)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("unknown tiling policy 'mosaic'; choose one of relaxed, llava-next, internvl, idefics3");
        assertThatThrownBy(() -> grid("relaxed", 0, 10)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> new TileSettings(384, 0)).isInstanceOf(InvalidRequestException.class);
    }
}
