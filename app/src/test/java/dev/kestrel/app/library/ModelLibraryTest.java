package dev.kestrel.app.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.model.Variant;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulling, importing, checking and removing models, against a Hub stand-in on this machine; nothing touches the internet. */
class ModelLibraryTest {

    static final Path QWEN3 = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-qwen3");
    static final List<Variant> CPU = EngineOptions.CPU_PREFERENCE;

    @TempDir
    Path home;

    FakeHub hub;
    AppPaths paths;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub(QWEN3);
        paths = new AppPaths(home);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    ModelLibrary library() {
        return hub.library(paths);
    }

    @Test
    void aPulledModelHasItsConfigsAndTheVariantForTheDeviceIsInstalledWholeAndChecksOut() throws IOException {
        hub.pageSize = 3; // the file list comes in pages
        long announced = library().downloadSize(FakeHub.REPO);
        assertThat(paths.models()).as("asking the size fetches nothing").doesNotExist();
        AtomicLong last = new AtomicLong();
        ModelLibrary.Installed installed = library().pull(FakeHub.REPO, CPU, (done, total) -> last.set(done), new AtomicBoolean());
        assertThat(last.get()).as("the size said before the pull").isEqualTo(announced);
        assertThat(installed.name()).isEqualTo("tiny-qwen3");
        assertThat(installed.source()).isEqualTo("hf:" + FakeHub.REPO);
        Path folder = paths.models().resolve("tiny-qwen3");
        assertThat(folder.resolve("onnx")).isDirectoryContaining(p -> p.getFileName().toString().equals("model_q4.onnx"));
        assertThat(folder.resolve("onnx/model.onnx")).as("one variant per graph: q4 on the CPU").doesNotExist();
        assertThat(folder.resolve("tokenizer.json")).hasSameBinaryContentAs(QWEN3.resolve("tokenizer.json"));
        assertThat(folder.resolve("reference.json")).as("not part of a model").doesNotExist();
        assertThat(last.get()).isEqualTo(installed.bytes() - fileSize(folder.resolve(ModelLibrary.SOURCE_FILE)));
        assertThat(library().installed()).extracting(ModelLibrary.Installed::name).containsExactly("tiny-qwen3");
        assertThat(library().incomplete()).isEmpty();
        assertThat(paths.models().resolve(".incoming/tiny-qwen3")).doesNotExist();
        assertThat(library().verify("tiny-qwen3")).isEmpty();
        assertThat(hub.requests).filteredOn(r -> r.startsWith("/api/")).hasSize(6); // 8 files and a folder, 3 a page; listed twice

        // Pulled again: already there, nothing fetched.
        int before = hub.requests.size();
        library().pull(FakeHub.REPO, CPU, (done, total) -> {}, new AtomicBoolean());
        assertThat(hub.requests.size()).isEqualTo(before);

        // A file damaged on disk later is found by verify.
        writeByte(folder.resolve("onnx/model_q4.onnx"));
        assertThat(library().verify("tiny-qwen3")).singleElement().asString().isEqualTo(
                "onnx/model_q4.onnx does not match its checksum (sha256:" + sha256(QWEN3.resolve("onnx/model_q4.onnx")) + ")");
        // An NPU's compiled graphs of this model (as CompiledGraphs names their source), and another model's.
        Path compiled = Files.createDirectories(paths.compiledGraphs().resolve("QNNExecutionProvider/model_q4-0123456789abcdef"));
        Files.writeString(compiled.resolve("source.txt"), folder.resolve("onnx/model_q4.onnx").toAbsolutePath() + "\n");
        Path others = Files.createDirectories(paths.compiledGraphs().resolve("QNNExecutionProvider/model_q4-fedcba9876543210"));
        Files.writeString(others.resolve("source.txt"), paths.models().resolve("other/onnx/model_q4.onnx").toAbsolutePath() + "\n");
        library().remove("tiny-qwen3");
        assertThat(folder).doesNotExist();
        assertThat(compiled).as("its compiled graphs go with it").doesNotExist();
        assertThat(others).isDirectory();
        assertThatThrownBy(() -> library().remove("tiny-qwen3")).hasMessage("no model named tiny-qwen3 is installed (none is)");
    }

    @Test
    void aLibraryForAGpuSizesAndFetchesTheGpusWeights() {
        ModelLibrary forGpu = hub.library(paths, EngineOptions.GPU_PREFERENCE); // q4f16 first, which this repository lacks
        long announced = forGpu.downloadSize(FakeHub.REPO);
        ModelLibrary.Installed installed = forGpu.pull(FakeHub.REPO, (done, total) -> {}, new AtomicBoolean());
        Path onnx = installed.folder().resolve("onnx");
        assertThat(onnx.resolve("model_fp16.onnx")).hasSameBinaryContentAs(QWEN3.resolve("onnx/model_fp16.onnx"));
        assertThat(onnx.resolve("model_q4.onnx")).doesNotExist();
        assertThat(installed.bytes() - fileSize(installed.folder().resolve(ModelLibrary.SOURCE_FILE))).isEqualTo(announced);
        assertThat(announced).isNotEqualTo(library().downloadSize(FakeHub.REPO)); // the CPU's q4 is another size
    }

    @Test
    void aDroppedConnectionIsContinuedWithARangeRequest() {
        hub.dropAfter.put("onnx/model_q4.onnx", 20_000);
        library().pull(FakeHub.REPO, List.of(Variant.Q4), (done, total) -> {}, new AtomicBoolean());
        // It continues from what it kept: up to the 20,000 bytes sent, less what the client had not yet taken in
        // when the connection dropped (seen: 14,833 on a busy machine).
        String range = "/" + FakeHub.REPO + "/resolve/main/onnx/model_q4.onnx bytes=";
        assertThat(hub.requests).filteredOn(r -> r.startsWith(range)).singleElement()
                .extracting(r -> Integer.parseInt(r.substring(range.length(), r.length() - 1)))
                .satisfies(from -> assertThat(from).isBetween(1, 20_000));
        assertThat(paths.models().resolve("tiny-qwen3/onnx/model_q4.onnx")).hasSameBinaryContentAs(QWEN3.resolve("onnx/model_q4.onnx"));
    }

    @Test
    void aFileThatDoesNotMatchItsChecksumIsDiscardedAndTheModelIsNotInstalledUntilItDoes() {
        hub.corrupt.add("tokenizer_config.json");
        assertThatThrownBy(() -> library().pull(FakeHub.REPO, CPU, (done, total) -> {}, new AtomicBoolean()))
                .isInstanceOf(AppException.class).hasMessageStartingWith("tokenizer_config.json did not match its checksum (git-sha1:")
                .hasMessageEndingWith("so it was discarded; run the same command again to download it anew");
        assertThat(library().installed()).isEmpty();
        assertThat(library().incomplete()).extracting(ModelLibrary.Incomplete::name).containsExactly("tiny-qwen3");

        hub.corrupt.clear();
        hub.requests.clear();
        library().pull(FakeHub.REPO, CPU, (done, total) -> {}, new AtomicBoolean());
        assertThat(hub.requests).as("only the discarded file is fetched again, after the list")
                .containsExactly("/api/models/" + FakeHub.REPO + "/tree/main", "/" + FakeHub.REPO + "/resolve/main/tokenizer_config.json");
        assertThat(library().installed()).hasSize(1);
    }

    @Test
    void aPullStoppedHalfWayIsNotInstalledAndTheNextOneAfterARestartContinuesIt() {
        hub.bytesPerSecond = 400_000;
        AtomicBoolean stop = new AtomicBoolean();
        assertThatThrownBy(() -> library().pull(FakeHub.REPO, List.of(Variant.FP32), (done, total) -> {
            if (done > 300_000) {
                stop.set(true);
            }
        }, stop)).isInstanceOf(CancellationException.class);
        assertThat(library().installed()).isEmpty();
        ModelLibrary.Incomplete left = library().incomplete().getFirst();
        assertThat(left.done()).isPositive().isLessThan(left.total());

        hub.bytesPerSecond = 0;
        hub.requests.clear();
        library().pull(FakeHub.REPO, List.of(Variant.FP32), (done, total) -> {}, new AtomicBoolean()); // a new library: as after a restart
        assertThat(hub.requests).anyMatch(r -> r.startsWith("/" + FakeHub.REPO + "/resolve/main/onnx/model.onnx bytes="));
        assertThat(paths.models().resolve("tiny-qwen3/onnx/model.onnx")).hasSameBinaryContentAs(QWEN3.resolve("onnx/model.onnx"));
        assertThat(library().incomplete()).isEmpty();
    }

    @Test
    void badIdsMissingModelsAndPlainHttpElsewhereAreRefusedWithTheReason() {
        assertThatThrownBy(() -> library().pull("just-a-name", CPU, (d, t) -> {}, new AtomicBoolean()))
                .hasMessageStartingWith("'just-a-name' is neither a model Kestrel knows (SmolVLM-256M-Instruct, ");
        assertThatThrownBy(() -> library().pull("kestrel-tests/nothing", CPU, (d, t) -> {}, new AtomicBoolean()))
                .hasMessage("127.0.0.1 has no model kestrel-tests/nothing (check the name and the revision)");
        assertThatThrownBy(() -> Downloader.mustBeAllowed(URI.create("http://10.1.2.3/model.onnx")))
                .hasMessage("Kestrel downloads over HTTPS only, not http://10.1.2.3/model.onnx");
    }

    @Test
    void anImportedFolderIsCheckedFirstThenCopiedAndChecksOut(@TempDir Path elsewhere) throws IOException {
        ModelLibrary.Installed imported = library().importFolder(QWEN3, Optional.of("mine"));
        assertThat(imported.source()).isEqualTo("folder:" + QWEN3.toAbsolutePath().normalize());
        assertThat(library().verify("mine")).isEmpty();
        assertThatThrownBy(() -> library().importFolder(QWEN3, Optional.of("mine"))).hasMessageContaining("already installed");
        Files.createDirectories(elsewhere.resolve("half"));
        Files.writeString(elsewhere.resolve("half/config.json"), "{}");
        assertThatThrownBy(() -> library().importFolder(elsewhere.resolve("half"), Optional.empty()))
                .hasMessageContaining("is incomplete: it has no tokenizer.json");
        assertThat(library().installed()).extracting(ModelLibrary.Installed::name).containsExactly("mine");
    }

    @Test
    void theCatalogNamesModelsByRepository() {
        assertThat(ModelCatalog.entries()).extracting(ModelCatalog.Entry::name).contains("SmolVLM-256M-Instruct", "Qwen3-0.6B");
        assertThat(ModelCatalog.entries()).allSatisfy(entry -> {
            assertThat(HuggingFace.Repo.parse(entry.repo()).id()).isEqualTo(entry.repo());
            assertThat(entry.sees() || entry.thinks()).isTrue();
        });
        assertThat(ModelCatalog.repository("qwen3-0.6b")).isEqualTo("onnx-community/Qwen3-0.6B-ONNX");
        assertThat(ModelCatalog.repository("someone/else")).isEqualTo("someone/else");
        assertThat(HuggingFace.Repo.parse("https://huggingface.co/onnx-community/Qwen3-0.6B-ONNX"))
                .isEqualTo(new HuggingFace.Repo("onnx-community", "Qwen3-0.6B-ONNX", "main"));
        assertThat(HuggingFace.Repo.parse("https://huggingface.co/HuggingFaceTB/SmolVLM-256M-Instruct/tree/v1.0/"))
                .isEqualTo(new HuggingFace.Repo("HuggingFaceTB", "SmolVLM-256M-Instruct", "v1.0"));
        assertThat(HuggingFace.Repo.parse("owner/name@dev").revision()).isEqualTo("dev");
    }

    @Test
    void checksumsAreTheHubsOwn(@TempDir Path dir) throws IOException {
        Path hello = Files.writeString(dir.resolve("hello"), "hello\n");
        assertThat(Checksum.sha256Of(hello).hex()).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
        assertThat(Checksum.gitBlob("ce013625030ba8dba906f756967f9e9ca394464a").of(hello)).isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
        Path empty = Files.writeString(dir.resolve("empty"), "");
        assertThat(Checksum.gitBlob("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391").of(empty)).isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }

    private static long fileSize(Path file) {
        return file.toFile().length();
    }

    private static String sha256(Path file) {
        try {
            return Checksum.sha256Of(file).hex();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeByte(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 1;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
