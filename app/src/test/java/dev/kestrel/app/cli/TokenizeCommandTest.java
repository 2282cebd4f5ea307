package dev.kestrel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.BundledModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeCommandTest {

    @TempDir
    Path home;

    @Test
    void tokenizesEachLineAndDetokenizesBack() throws java.io.IOException {
        String promptIds = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(BundledModels.model("fixtures/tiny-decoder").resolve("reference.json").toFile()).get("prompt_ids").toString();
        String tokenizer = BundledModels.model("fixtures/tiny-decoder").toString();
        CliRun tokens = CliRun.withInput("\"hello\"\n\"héllo 🦅<|im_end|>\"\n", "tokenize", "--home", home.toString(), "--tokenizer", tokenizer);
        assertThat(tokens.status()).isZero();
        assertThat(tokens.out().lines()).hasSize(2);
        assertThat(tokens.out().lines().findFirst()).contains(promptIds); // "hello", as the fixture script encodes it

        CliRun text = CliRun.withInput(tokens.out(), "detokenize", "--home", home.toString(),
                "--tokenizer", BundledModels.model("fixtures/tiny-decoder").resolve("tokenizer.json").toString());
        assertThat(text.status()).isZero();
        assertThat(text.out()).isEqualTo("\"hello\"\n\"héllo 🦅<|im_end|>\"\n");
    }

    @Test
    void aLineThatIsNotAStringIsBadInput() {
        CliRun run = CliRun.withInput("\"fine\"\n42\n", "tokenize", "--home", home.toString(),
                "--tokenizer", BundledModels.model("fixtures/tiny-decoder").toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kestrel: stdin line 2 is not a JSON string\n");
        CliRun broken = CliRun.withInput("[1, 2\n", "detokenize", "--home", home.toString(),
                "--tokenizer", BundledModels.model("fixtures/tiny-decoder").toString());
        assertThat(broken.err()).startsWith("kestrel: stdin line 1 is not valid JSON");
    }

    @Test
    void aMissingTokenizerIsBadInput() {
        CliRun run = CliRun.withInput("\"x\"\n", "tokenize", "--home", home.toString(), "--tokenizer", home.resolve("t.json").toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kestrel: tokenizer file '" + home.resolve("t.json") + "' does not exist\n");
    }
}
