package dev.kestrel.inference.tokenizer;

import java.util.Arrays;

/**
 * Turns generated ids into text as they arrive, never emitting half a UTF-8 character and keeping
 * the spacing a whole-sequence decode would give.
 *
 * <p>It decodes a window of recent ids, from {@code prefix} to the end. The window's previous
 * decode is the text already emitted, so the new text is what the longer decode adds: one decode
 * per id. Text ending in U+FFFD is an incomplete byte sequence, so it waits for the next id.
 * Starting the window a few ids back, rather than at the new id alone, keeps tokenizers that strip
 * a leading space (SentencePiece, Metaspace) right; the window moves forward every
 * {@value #WINDOW} ids, keeping {@value #CONTEXT} of them.
 */
public final class TokenStream {

    private static final int WINDOW = 16;
    private static final int CONTEXT = 4;

    private final Tokenizer tokenizer;
    private int[] ids = new int[64];
    private int size;
    private int prefix;
    private int read;
    /** The decode of ids[prefix, read): the window's text already emitted. */
    private String emitted = "";

    public TokenStream(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one id and returns the text it completes, possibly empty. */
    public String push(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        String window = tokenizer.decode(ids, prefix, size);
        if (window.length() <= emitted.length() || window.endsWith("\uFFFD")) {
            return "";
        }
        String delta = window.substring(emitted.length());
        emitted = window;
        read = size;
        if (read - prefix > WINDOW) {
            prefix = read - CONTEXT;
            emitted = tokenizer.decode(ids, prefix, read);
        }
        return delta;
    }

    /** Whether ids are held back because they end in the middle of a character. */
    public boolean pending() {
        return read < size;
    }

    /** The text still held back (an incomplete character at the very end), emitted as is. */
    public String flush() {
        String window = tokenizer.decode(ids, prefix, size);
        String delta = window.length() > emitted.length() ? window.substring(emitted.length()) : "";
        prefix = read = size;
        emitted = "";
        return delta;
    }
}
