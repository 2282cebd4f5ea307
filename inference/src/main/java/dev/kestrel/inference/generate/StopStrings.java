package dev.kestrel.inference.generate;

import java.util.List;

/**
 * Watches answer text for stop strings. Text is released only when no stop string can still begin
 * in it, so a stream never shows the start of a stop string that then completes.
 */
final class StopStrings {

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    StopStrings(List<String> stops) {
        this.stops = stops;
    }

    /** Takes new answer text; returns what may be shown now. After a stop string, nothing more. */
    String accept(String delta) {
        if (stopped) {
            return "";
        }
        held.append(delta);
        int first = -1;
        for (String stop : stops) {
            int at = held.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        if (first >= 0) {
            stopped = true;
            String shown = held.substring(0, first);
            held.setLength(0);
            return shown;
        }
        int keep = longestPossibleStart();
        String shown = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return shown;
    }

    /** Whether a stop string has appeared. */
    boolean stopped() {
        return stopped;
    }

    /** The text still held back, released when the answer ends another way. */
    String release() {
        String rest = held.toString();
        held.setLength(0);
        return rest;
    }

    /** Length of the longest end of the held text that is the start of some stop string. */
    private int longestPossibleStart() {
        String text = held.toString();
        int best = 0;
        for (String stop : stops) {
            for (int length = Math.min(stop.length() - 1, text.length()); length > best; length--) {
                if (text.regionMatches(text.length() - length, stop, 0, length)) {
                    best = length;
                    break;
                }
            }
        }
        return best;
    }
}
