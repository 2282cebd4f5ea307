package dev.kestrel.app.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.inference.generate.ThinkingBudget;
import org.junit.jupiter.api.Test;

class ThinkingStopTest {

    @Test
    void theStopsAreTheWindowsBudgetsInOrder() {
        assertThat(ThinkingStop.values()).extracting(ThinkingStop::label)
                .containsExactly("Off", "128", "256", "512", "1k", "2k", "4k", "Unlimited");
        assertThat(ThinkingStop.OFF.budget()).isEqualTo(ThinkingBudget.OFF);
        assertThat(ThinkingStop.T1K.budget()).isEqualTo(ThinkingBudget.of(1024));
        assertThat(ThinkingStop.UNLIMITED.budget().isUnlimited()).isTrue();
    }

    @Test
    void aStoredBudgetComesBackAsItsStopOrTheNextOneUp() {
        assertThat(ThinkingStop.of(0)).isEqualTo(ThinkingStop.OFF);
        assertThat(ThinkingStop.of(512)).isEqualTo(ThinkingStop.T512);
        assertThat(ThinkingStop.of(300)).isEqualTo(ThinkingStop.T512);
        assertThat(ThinkingStop.of(5000)).isEqualTo(ThinkingStop.UNLIMITED);
        assertThat(ThinkingStop.of(-1)).isEqualTo(ThinkingStop.UNLIMITED);
    }
}
