package dev.kestrel.inference.generate;

import java.util.Arrays;

/** The prompt and the tokens generated so far, with the set of distinct ids for penalties. */
final class TokenHistory {

    private int[] ids;
    private int size;
    private final boolean[] seen;

    TokenHistory(int[] prompt, int vocabSize) {
        ids = Arrays.copyOf(prompt, Math.max(16, prompt.length * 2));
        size = prompt.length;
        seen = new boolean[vocabSize];
        for (int id : prompt) {
            mark(id);
        }
    }

    void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        mark(id);
    }

    private void mark(int id) {
        if (id >= 0 && id < seen.length) {
            seen[id] = true;
        }
    }

    boolean seen(int id) {
        return seen[id];
    }

    int size() {
        return size;
    }
}
