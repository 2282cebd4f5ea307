package dev.kestrel.app.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.cli.KestrelCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kestrel models list|pull|import|remove|verify}, in process, against the Hub stand-in. */
class ModelsCommandTest {

    @TempDir
    Path home;

    FakeHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub(ModelLibraryTest.QWEN3);
        System.setProperty("kestrel.hf-endpoint", hub.endpoint().toString());
    }

    @AfterEach
    void stop() {
        System.clearProperty("kestrel.hf-endpoint");
        hub.close();
    }

    record Run(int status, String out, String err) {}

    Run kestrel(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int status = KestrelCli.run(all, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void pullListVerifyAskAndRemove() throws Exception {
        Run pulled = kestrel("models", "pull", FakeHub.REPO);
        assertThat(pulled.status()).as(pulled.err()).isZero();
        assertThat(pulled.out()).startsWith("installed tiny-qwen3 (").contains(home.resolve("models/tiny-qwen3").toString());
        assertThat(pulled.err()).contains(FakeHub.REPO + ": ");

        Run listed = kestrel("models", "list", "--json");
        assertThat(listed.out().strip().lines()).singleElement().asString()
                .contains("\"name\":\"tiny-qwen3\"", "\"state\":\"installed\"", "\"source\":\"hf:" + FakeHub.REPO + "\"");
        assertThat(kestrel("models", "verify", "tiny-qwen3").out()).isEqualTo("tiny-qwen3: ok\n");

        Run asked = kestrel("ask", "--model", home.resolve("models/tiny-qwen3").toString(), "--greedy", "--no-think", "hello");
        assertThat(asked.status()).as(asked.err()).isZero();
        assertThat(asked.out()).isNotBlank();

        Files.delete(home.resolve("models/tiny-qwen3/tokenizer.json"));
        Run broken = kestrel("models", "verify", "tiny-qwen3");
        assertThat(broken.status()).isEqualTo(2);
        assertThat(broken.out()).contains("tiny-qwen3: tokenizer.json is missing");
        assertThat(broken.err()).isEqualTo("kestrel: tiny-qwen3 has 2 problems; pull or import it again\n");

        assertThat(kestrel("models", "remove", "tiny-qwen3").out()).isEqualTo("removed tiny-qwen3\n");
        Run gone = kestrel("models", "remove", "tiny-qwen3");
        assertThat(gone.status()).isEqualTo(2);
        assertThat(gone.err()).isEqualTo("kestrel: no model named tiny-qwen3 is installed (none is)\n");
    }

    @Test
    void theCatalogSaysWhatEachModelWouldDownloadWhenAsked() {
        hub.repos.add("onnx-community/Qwen3-0.6B-ONNX"); // answered; the others are not, as for a model gone from the Hub
        Run plain = kestrel("models", "catalog");
        assertThat(plain.status()).isZero();
        assertThat(plain.out()).contains("Qwen3-0.6B").doesNotContain(" MB");
        assertThat(hub.requests).as("no sizes unless asked: nothing goes online").isEmpty();

        Run sized = kestrel("models", "catalog", "--sizes");
        assertThat(sized.status()).as(sized.err()).isZero();
        String size = ModelLibrary.megabytes(hub.library(new dev.kestrel.app.AppPaths(home)).downloadSize(FakeHub.REPO));
        assertThat(sized.out().lines().filter(l -> l.startsWith("Qwen3-0.6B ")).findFirst().orElseThrow()).contains(size);
        assertThat(sized.out().lines().filter(l -> l.startsWith("SmolVLM-256M-Instruct ")).findFirst().orElseThrow()).contains("  ?  ");
        assertThat(sized.err()).contains("kestrel: no size for SmolVLM-256M-Instruct: ");
    }

    @Test
    void anUnfinishedPullIsListedAndImportTakesAFolder() {
        hub.corrupt.add("config.json");
        Run failed = kestrel("models", "pull", FakeHub.REPO);
        assertThat(failed.status()).isEqualTo(2);
        assertThat(failed.err()).contains("\nkestrel: config.json did not match its checksum");
        assertThat(kestrel("models", "list").out()).contains("tiny-qwen3", "incomplete", "kestrel models pull " + FakeHub.REPO + " continues it");

        Run imported = kestrel("models", "import", ModelLibraryTest.QWEN3.toString(), "--name", "local-qwen3");
        assertThat(imported.status()).as(imported.err()).isZero();
        assertThat(kestrel("models", "list").out()).contains("local-qwen3");
    }
}
