package dev.kestrel.inference.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.inference.TinyDecoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenStreamTest {

    static Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = Tokenizer.load(TinyDecoder.folder());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void neverEmitsHalfACharacterAndAddsUpToTheWholeDecode() {
        // Byte-level tokens split every one of these characters over several ids.
        String text = "Kestrel sees 🦅 and 世界, naïve café, 👩‍👩‍👧!";
        int[] ids = tokenizer.encode(text);
        TokenStream stream = new TokenStream(tokenizer);
        List<String> deltas = new ArrayList<>();
        for (int id : ids) {
            deltas.add(stream.push(id));
        }
        deltas.add(stream.flush());

        assertThat(deltas).noneMatch(d -> d.contains("\uFFFD"));
        assertThat(deltas).anyMatch(String::isEmpty); // held back mid-character
        assertThat(String.join("", deltas)).isEqualTo(text);
    }

    @Test
    void flushGivesUpAnIncompleteCharacterAtTheEnd() {
        int[] ids = tokenizer.encode("ok 🦅");
        TokenStream stream = new TokenStream(tokenizer);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ids.length - 1; i++) {
            text.append(stream.push(ids[i]));
        }
        assertThat(text.toString()).isEqualTo("ok ");
        assertThat(stream.flush()).isNotEmpty().endsWith("\uFFFD");
    }
}
