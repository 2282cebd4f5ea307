package dev.kestrel.inference.generate;

import dev.kestrel.inference.tokenizer.Tokenizer;
import java.util.Optional;

/**
 * The ids that open and close a thinking block ({@code <think>} and {@code </think>} in Qwen3 and
 * Kestrel's demo model), and what Kestrel writes when a budget runs out.
 */
public record ThinkingTokens(int start, int end, int[] earlyStop, int[] afterEnd) {

    public static final String START = "<think>";
    public static final String END = "</think>";

    /** The Qwen3 technical report's words for ending thinking early, forced when a budget runs out. */
    public static final String EARLY_STOP_TEXT =
            "Considering the limited time by the user, I have to give the solution based on the thinking directly now.";

    /** The thinking tokens of a tokenizer, if both markers are single tokens in it. */
    public static Optional<ThinkingTokens> of(Tokenizer tokenizer) {
        var start = tokenizer.tokenId(START);
        var end = tokenizer.tokenId(END);
        if (start.isEmpty() || end.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ThinkingTokens(start.getAsInt(), end.getAsInt(),
                tokenizer.encode("\n\n" + EARLY_STOP_TEXT + "\n"), tokenizer.encode("\n\n")));
    }

    /** What is forced once the budget is spent: the early-stop text (unless thinking was off), the end marker, a blank line. */
    int[] forcedEnd(boolean withEarlyStopText) {
        int[] head = withEarlyStopText ? earlyStop : new int[0];
        int[] forced = new int[head.length + 1 + afterEnd.length];
        System.arraycopy(head, 0, forced, 0, head.length);
        forced[head.length] = end;
        System.arraycopy(afterEnd, 0, forced, head.length + 1, afterEnd.length);
        return forced;
    }
}
