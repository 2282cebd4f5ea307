package dev.kestrel.app.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model folder's .zip, by address (served on this machine) or from disk: fetched, unpacked with care, checked. */
class ModelArchiveTest {

    @TempDir
    Path home;

    @TempDir
    Path served;

    FakeHub hub;
    AppPaths paths;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub(served);
        paths = new AppPaths(home);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    ModelLibrary library() {
        return hub.library(paths);
    }

    String address(String file) {
        return hub.endpoint() + "/" + FakeHub.REPO + "/resolve/main/" + file;
    }

    /** The tiny Qwen3's files (what a pull would fetch: configs and the q4 graph), zipped under {@code top}. */
    static Path zipOfTinyQwen3(Path zip, String top, Map<String, String> extra) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip)); Stream<Path> files = Files.walk(ModelLibraryTest.QWEN3)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(top + ModelLibraryTest.QWEN3.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            for (Map.Entry<String, String> entry : extra.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }

    @Test
    void aZipAtAnAddressIsFetchedContinuedAfterADropUnpackedCheckedAndInstalled() throws IOException {
        Path zip = zipOfTinyQwen3(served.resolve("my-model.zip"), "tiny-qwen3/", Map.of("__MACOSX/._config.json", "junk"));
        String sha = Checksum.sha256Of(zip).hex();
        hub.dropAfter.put("my-model.zip", 50_000);

        ModelLibrary.Installed installed = library().pull(address("my-model.zip") + "#sha256=" + sha, (done, total) -> {}, new AtomicBoolean());

        assertThat(installed.name()).isEqualTo("my-model");
        assertThat(installed.source()).isEqualTo("url:" + address("my-model.zip") + "#sha256=" + sha);
        Path folder = paths.models().resolve("my-model");
        assertThat(folder.resolve("tokenizer.json")).as("the top folder's content is the model")
                .hasSameBinaryContentAs(ModelLibraryTest.QWEN3.resolve("tokenizer.json"));
        assertThat(folder.resolve("__MACOSX")).doesNotExist();
        assertThat(folder.resolve(ModelLibrary.ARCHIVE_FOLDER)).as("the archive is gone once unpacked").doesNotExist();
        // Continued from what the part held: the hub cut the answer after 50,000 bytes, of which the
        // client may have received fewer before the connection closed (once, 49,071).
        assertThat(hub.requests).anyMatch(r -> r.matches(".*/my-model\\.zip bytes=(\\d+)-")
                && Integer.parseInt(r.replaceFirst(".* bytes=(\\d+)-", "$1")) > 0
                && Integer.parseInt(r.replaceFirst(".* bytes=(\\d+)-", "$1")) <= 50_000);
        assertThat(library().verify("my-model")).isEmpty();
        assertThat(library().installed()).extracting(ModelLibrary.Installed::source).containsExactly(installed.source());
        assertThat(ModelLibrary.specOf(installed.source())).isEqualTo(address("my-model.zip") + "#sha256=" + sha);
    }

    @Test
    void aWrongChecksumOrAnEntryOutsideTheFolderIsRefusedAndNothingIsInstalled() throws IOException {
        zipOfTinyQwen3(served.resolve("model.zip"), "", Map.of());
        assertThatThrownBy(() -> library().pull(address("model.zip") + "#sha256=" + "0".repeat(64), (d, t) -> {}, new AtomicBoolean()))
                .isInstanceOf(AppException.class).hasMessageContaining("did not match its checksum");
        assertThat(library().installed()).isEmpty();

        zipOfTinyQwen3(served.resolve("evil.zip"), "", Map.of("../../outside.txt", "x"));
        assertThatThrownBy(() -> library().pull(address("evil.zip"), (d, t) -> {}, new AtomicBoolean()))
                .isInstanceOf(AppException.class).hasMessageContaining("'../../outside.txt', which points outside the model folder");
        assertThat(home.resolve("outside.txt")).doesNotExist();
        assertThat(paths.models().resolve("outside.txt")).doesNotExist();
        assertThat(library().installed()).isEmpty();

        assertThatThrownBy(() -> library().pull(address("model.tar"), (d, t) -> {}, new AtomicBoolean()))
                .isInstanceOf(AppException.class).hasMessageContaining("only when it is a .zip of a model folder");
        assertThatThrownBy(() -> library().pull("http://example.com/model.zip", (d, t) -> {}, new AtomicBoolean()))
                .isInstanceOf(AppException.class).hasMessageContaining("HTTPS only");
    }

    @Test
    void aZipFromDiskIsImportedAndOneThatHoldsNoModelSaysWhatIsWrong(@TempDir Path elsewhere) throws IOException {
        Path zip = zipOfTinyQwen3(elsewhere.resolve("Tiny Qwen.zip"), "", Map.of());
        ModelLibrary.Installed installed = library().importFolder(zip, Optional.empty());
        assertThat(installed.name()).isEqualTo("Tiny-Qwen");
        assertThat(library().verify("Tiny-Qwen")).isEmpty();

        Path notes = elsewhere.resolve("notes.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(notes))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertThatThrownBy(() -> library().importFolder(notes, Optional.empty()))
                .isInstanceOf(AppException.class).hasMessageContaining("do not make a model Kestrel can use");
        assertThat(library().installed()).extracting(ModelLibrary.Installed::name).containsExactly("Tiny-Qwen");
        assertThat(library().incomplete()).isEmpty();

        Path broken = elsewhere.resolve("broken.zip");
        try (OutputStream out = Files.newOutputStream(broken)) {
            out.write("this is not a zip".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> library().importFolder(broken, Optional.empty()))
                .isInstanceOf(AppException.class).hasMessageContaining("broken.zip is not a readable .zip archive");
        assertThat(library().installed()).hasSize(1);
        assertThat(library().incomplete()).isEmpty();
    }
}
