package dev.kestrel.inference.tokenizer;

import java.util.Arrays;

/**
 * Turns generated ids into text as they arrive, never emitting half a UTF-8 character and keeping
 * the spacing a whole-sequence decode would give.
 *
 * <p>It decodes a short window twice: from {@code prefix} to {@code read} (text already emitted) and
 * from {@code prefix} to the end; the difference is new text. Text ending in U+FFFD is an incomplete
 * byte sequence, so it waits for the next id. Decoding from a prefix rather than from the new id
 * alone keeps tokenizers that strip a leading space (SentencePiece, Metaspace) right.
 */
public final class TokenStream {

    private final Tokenizer tokenizer;
    private int[] ids = new int[64];
    private int size;
    private int prefix;
    private int read;

    public TokenStream(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one id and returns the text it completes, possibly empty. */
    public String push(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        String before = tokenizer.decode(ids, prefix, read);
        String after = tokenizer.decode(ids, prefix, size);
        if (after.length() > before.length() && !after.endsWith("\uFFFD")) {
            prefix = read;
            read = size;
            return after.substring(before.length());
        }
        return "";
    }

    /** Whether ids are held back because they end in the middle of a character. */
    public boolean pending() {
        return read < size;
    }

    /** The text still held back (an incomplete character at the very end), emitted as is. */
    public String flush() {
        String before = tokenizer.decode(ids, prefix, read);
        String after = tokenizer.decode(ids, prefix, size);
        prefix = read = size;
        return after.length() > before.length() ? after.substring(before.length()) : "";
    }
}
