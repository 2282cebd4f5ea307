package dev.kestrel.inference.generate;

/**
 * How long a thinking model may think (BlueLM-2.5-3B's explicit thinking-token budget): not at all
 * (non-thinking mode), up to {@code tokens} tokens, or without limit. A model that cannot think
 * ignores it.
 */
public record ThinkingBudget(int tokens) {

    private static final int UNLIMITED_TOKENS = Integer.MAX_VALUE;

    public static final ThinkingBudget OFF = new ThinkingBudget(0);
    public static final ThinkingBudget UNLIMITED = new ThinkingBudget(UNLIMITED_TOKENS);

    public ThinkingBudget {
        if (tokens < 0) {
            throw new IllegalArgumentException("a thinking budget is 0 or more tokens, not " + tokens);
        }
    }

    public static ThinkingBudget of(int tokens) {
        return tokens == 0 ? OFF : new ThinkingBudget(tokens);
    }

    public boolean isOff() {
        return tokens == 0;
    }

    public boolean isUnlimited() {
        return tokens == UNLIMITED_TOKENS;
    }

    @Override
    public String toString() {
        return isOff() ? "off" : isUnlimited() ? "unlimited" : tokens + " tokens";
    }
}
