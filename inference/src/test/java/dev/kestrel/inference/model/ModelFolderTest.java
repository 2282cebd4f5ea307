package dev.kestrel.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.inference.ModelFolderException;
import dev.kestrel.inference.TinyDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {

    @TempDir
    Path dir;

    @Test
    void readsTheDimensionsAndStopIdsOfTheFixture() {
        ModelFolder folder = ModelFolder.open(TinyDecoder.folder());

        assertThat(folder.config().layers()).isEqualTo(2);
        assertThat(folder.config().keyValueHeads()).isEqualTo(2);
        assertThat(folder.config().headDim()).isEqualTo(16);
        assertThat(folder.config().contextLength()).isEqualTo(512);
        assertThat(folder.generationDefaults().eosTokenIds()).containsExactly(330);
        assertThat(folder.decoderVariants()).containsOnlyKeys(Variant.FP32);
    }

    @Test
    void aMissingFolderIsNamed() {
        assertThatThrownBy(() -> ModelFolder.open(dir.resolve("nope")))
                .isInstanceOf(ModelFolderException.class)
                .hasMessage("model folder '" + dir.resolve("nope") + "' does not exist");
    }

    @Test
    void aFileIsNotAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("model.onnx"), "x");
        assertThatThrownBy(() -> ModelFolder.open(file)).hasMessageContaining("is a file, not a folder");
    }

    @Test
    void everyMissingFileIsNamedInOneMessage() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ModelFolder.open(empty))
                .isInstanceOf(ModelFolderException.class)
                .hasMessage("model folder '" + empty + "' is incomplete: it has no config.json, no tokenizer.json,"
                        + " no onnx/model.onnx (or a variant such as onnx/model_q4.onnx)");
    }

    @Test
    void aFolderWithoutTokenizerJsonSaysSo() throws IOException {
        Path copy = TinyDecoder.copyTo(dir.resolve("copy"));
        Files.delete(copy.resolve("tokenizer.json"));
        assertThatThrownBy(() -> ModelFolder.open(copy))
                .hasMessage("model folder '" + copy + "' is incomplete: it has no tokenizer.json");
    }

    @Test
    void brokenJsonNamesFileAndLine() throws IOException {
        Path copy = TinyDecoder.copyTo(dir.resolve("copy"));
        Files.writeString(copy.resolve("config.json"), "{\n  \"hidden_size\": 64,\n  oops\n}");
        assertThatThrownBy(() -> ModelFolder.open(copy))
                .isInstanceOf(ModelFolderException.class)
                .hasMessageStartingWith("config.json in " + copy + " is not valid JSON (line 3");
    }

    @Test
    void aConfigWithoutLayersSaysWhichFieldIsMissing() throws IOException {
        Path copy = TinyDecoder.copyTo(dir.resolve("copy"));
        Files.writeString(copy.resolve("config.json"), "{\"hidden_size\": 64, \"num_attention_heads\": 4, \"vocab_size\": 10}");
        assertThatThrownBy(() -> ModelFolder.open(copy)).hasMessage("config.json has no num_hidden_layers");
    }

    @Test
    void choosesTheRequestedVariantOrTheFirstPreferredOnePresent() throws IOException {
        Path copy = TinyDecoder.copyTo(dir.resolve("copy"));
        Files.copy(copy.resolve("onnx/model.onnx"), copy.resolve("onnx/model_q4.onnx"));
        ModelFolder folder = ModelFolder.open(copy);

        assertThat(folder.chooseDecoder(Optional.empty(), List.of(Variant.Q4, Variant.FP32)).variant()).isEqualTo(Variant.Q4);
        assertThat(folder.chooseDecoder(Optional.of(Variant.FP32), List.of(Variant.Q4)).file())
                .isEqualTo(copy.resolve("onnx/model.onnx"));
        assertThatThrownBy(() -> folder.chooseDecoder(Optional.of(Variant.FP16), List.of()))
                .hasMessageContaining("has no fp16 variant (onnx/model_fp16.onnx); it has fp32, q4");
    }
}
