package dev.kestrel.inference.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.inference.ModelFolderException;
import dev.kestrel.inference.TinyDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

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
    void encodesAsTheFixtureScriptDoes() {
        JsonNode reference = TinyDecoder.reference();
        assertThat(tokenizer.encode(reference.get("prompt").asText())).containsExactly(TinyDecoder.ints(reference.get("prompt_ids")));
        assertThat(tokenizer.encode(reference.get("long_prompt").asText()))
                .containsExactly(TinyDecoder.ints(reference.get("long_prompt_ids")));
    }

    @Test
    void addsNoSpecialTokensAndTruncatesNothing() {
        String longText = "hello ".repeat(2000);
        int[] ids = tokenizer.encode(longText);
        assertThat(ids.length).isGreaterThan(2000);
        assertThat(tokenizer.decode(ids)).isEqualTo(longText);
    }

    @Test
    void specialTokensInTheTextAreSpecialTokens() {
        int end = tokenizer.tokenId("<|im_end|>").orElseThrow();
        int[] ids = tokenizer.encode("hi<|im_end|>");
        assertThat(ids[ids.length - 1]).isEqualTo(end);
        assertThat(tokenizer.isSpecial(end)).isTrue();
        assertThat(tokenizer.decode(ids)).isEqualTo("hi<|im_end|>");
    }

    @Test
    void anyTextRoundTripsThroughByteLevelTokens() {
        String text = "Grüße, 世界! 👩‍👩‍👧 e\u0301  \t tabs\nand lines";
        assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
    }

    @Test
    void aBrokenTokenizerFileIsAModelFolderProblem(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"Nonsense\"}}");
        assertThatThrownBy(() -> Tokenizer.load(broken))
                .isInstanceOf(ModelFolderException.class)
                .hasMessageStartingWith("tokenizer file '" + broken + "' is not a valid Hugging Face tokenizer.json");
        Path notJson = Files.writeString(dir.resolve("other.json"), "not json");
        assertThatThrownBy(() -> Tokenizer.load(notJson)).isInstanceOf(ModelFolderException.class);
    }
}
