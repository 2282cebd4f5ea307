package dev.kestrel.app.chat;

import dev.kestrel.inference.generate.ThinkingBudget;

/** The thinking budgets the window offers, in order: none, 128 to 4,096 tokens, or no limit. */
public enum ThinkingStop {
    OFF(0, "Off"),
    T128(128, "128"),
    T256(256, "256"),
    T512(512, "512"),
    T1K(1024, "1k"),
    T2K(2048, "2k"),
    T4K(4096, "4k"),
    UNLIMITED(-1, "Unlimited");

    private final int tokens;
    private final String label;

    ThinkingStop(int tokens, String label) {
        this.tokens = tokens;
        this.label = label;
    }

    public String label() {
        return label;
    }

    ThinkingBudget budget() {
        return this == UNLIMITED ? ThinkingBudget.UNLIMITED : ThinkingBudget.of(tokens);
    }

    /** The stop for a stored budget (-1: no limit); a budget between stops takes the next one up. */
    static ThinkingStop of(int tokens) {
        if (tokens < 0) {
            return UNLIMITED;
        }
        for (ThinkingStop stop : values()) {
            if (stop != UNLIMITED && stop.tokens >= tokens) {
                return stop;
            }
        }
        return UNLIMITED;
    }
}
