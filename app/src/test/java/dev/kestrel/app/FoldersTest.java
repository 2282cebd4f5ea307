package dev.kestrel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {

    @TempDir
    Path dir;

    @Test
    void sizeCountsTheFilesUnderAFolderAndAMissingOneIsEmpty() throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("a/b"));
        Files.write(tree.resolve("one"), new byte[10]);
        Files.write(tree.resolve("a/b/two"), new byte[32]);

        assertThat(Folders.size(tree)).isEqualTo(42);
        assertThat(Folders.size(tree.resolve("one"))).isEqualTo(10);
        assertThat(Folders.size(dir.resolve("missing"))).isZero();
    }

    @Test
    void copyTreeCopiesEveryFileAndSaysWhich() throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("onnx"));
        Files.createDirectories(tree.resolve("empty"));
        Files.writeString(tree.resolve("config.json"), "{}");
        Files.writeString(tree.resolve("onnx/model.onnx"), "graph");
        Path copy = dir.resolve("copy");

        assertThat(Folders.copyTree(tree, copy)).map(Path::toString)
                .containsExactlyInAnyOrder("config.json", Path.of("onnx", "model.onnx").toString());
        assertThat(copy.resolve("onnx/model.onnx")).hasContent("graph");
        assertThat(copy.resolve("empty")).isEmptyDirectory();
    }

    @Test
    void deleteTreeRemovesAFolderWithItsContentAndIgnoresAMissingOne() throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("a/b"));
        Files.writeString(tree.resolve("a/b/file"), "x");

        Folders.deleteTree(tree);
        Folders.deleteTree(tree);

        assertThat(tree).doesNotExist();
    }
}
