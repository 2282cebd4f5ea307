package dev.kestrel.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.TinyDecoder;
import dev.kestrel.inference.generate.Cancellation;
import dev.kestrel.inference.vision.image.RgbImage;
import dev.kestrel.inference.generate.GenerationRequest;
import dev.kestrel.inference.generate.GenerationResult;
import dev.kestrel.inference.generate.PreparedPrompt;
import dev.kestrel.inference.generate.Sampling;
import dev.kestrel.inference.generate.ThinkingBudget;
import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.prompt.ChatMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image path end to end on the tiny SmolVLM-shaped fixture, against PyTorch's goldens from
 * models/fixtures/make_tiny_smolvlm.py: same pixels, same features, same greedy tokens.
 */
class TinySmolVlmTest {

    private static final Path FOLDER = Path.of(System.getProperty("kestrel.root", "..")).resolve("models/fixtures/tiny-smolvlm");
    private static final Path REFERENCE = FOLDER.resolve("reference");
    private static JsonNode reference;
    private static LanguageModel fp32;

    @BeforeAll
    static void load() throws IOException {
        reference = new ObjectMapper().readTree(REFERENCE.resolve("reference.json").toFile());
        fp32 = LanguageModel.load(FOLDER, new EngineOptions(Optional.of(Variant.FP32), 1));
    }

    @AfterAll
    static void close() {
        fp32.close();
    }

    private static JsonNode image(String name) {
        for (JsonNode image : reference.get("images")) {
            if (image.get("name").asText().equals(name)) {
                return image;
            }
        }
        throw new AssertionError("no golden image " + name);
    }

    private static float[] floats(String file) throws IOException {
        FloatBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(REFERENCE.resolve(file))).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static ImageInput input(String name) throws IOException {
        String file = image(name).get("file").asText();
        return ImageInput.ofBytes(file, Files.readAllBytes(REFERENCE.resolve(file)));
    }

    /** PyTorch's preprocessed tiles, as a tile source. */
    private static TileSource goldenTiles(float[] pixels, int side) {
        int perTile = 3 * side * side;
        return new TileSource() {
            @Override
            public int count() {
                return pixels.length / perTile;
            }

            @Override
            public int tileSize() {
                return side;
            }

            @Override
            public void write(int index, FloatBuffer into) {
                into.put(pixels, index * perTile, perTile);
            }
        };
    }

    private static float[] written(TileSource tiles) {
        int perTile = 3 * tiles.tileSize() * tiles.tileSize();
        FloatBuffer all = FloatBuffer.allocate(tiles.count() * perTile);
        for (int i = 0; i < tiles.count(); i++) {
            tiles.write(i, all);
        }
        return all.array();
    }

    @ParameterizedTest
    @ValueSource(strings = {"shapes-150x90", "small-64x64", "line-5x1"})
    void tilesMatchHuggingFacesProcessorExactlyForLosslessImages(String name) throws IOException {
        JsonNode golden = image(name);
        ImagePipeline pipeline = fp32.images().orElseThrow();
        PreparedImage prepared = ImagePreprocessor.prepare(input(name).pixels().get(), pipeline.tiling(), pipeline.encoder().config());

        assertThat(prepared.grid().rows()).as("rows").isEqualTo(Math.max(1, golden.get("rows").asInt()));
        assertThat(prepared.grid().cols()).as("cols").isEqualTo(Math.max(1, golden.get("cols").asInt()));
        assertThat(prepared.count()).isEqualTo(golden.get("frames").asInt());
        assertThat(written(prepared)).containsExactly(floats(golden.get("pixel_values").asText()));
    }

    @Test
    void jpegTilesDifferOnlyByTheDecodersRounding() throws IOException {
        JsonNode golden = image("stripes-40x100");
        ImagePipeline pipeline = fp32.images().orElseThrow();
        PreparedImage prepared = ImagePreprocessor.prepare(input("stripes-40x100").pixels().get(), pipeline.tiling(),
                pipeline.encoder().config());
        float[] ours = written(prepared);
        float[] theirs = floats(golden.get("pixel_values").asText());
        assertThat(ours).hasSameSizeAs(theirs);
        double maxDiff = 0;
        for (int i = 0; i < ours.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
        }
        // One 8-bit step is 2/255 after SmolVLM's normalization; libjpeg and ImageIO's IDCTs differ by a few.
        assertThat(maxDiff).isLessThan(8 * 2 / 255.0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 0})
    void imageFeaturesMatchPyTorchOnTheSamePixelsInAnyBatchSize(int batch) throws IOException {
        JsonNode golden = image("shapes-150x90");
        float[] pixels = floats(golden.get("pixel_values").asText());
        float[] expected = floats(golden.get("image_features").asText());
        Path encoderFile = FOLDER.resolve("onnx/vision_encoder.onnx");
        var config = fp32.folder().vision().orElseThrow();
        try (VisionEncoder encoder = VisionEncoder.open(encoderFile, config, 1, dev.kestrel.inference.runtime.Devices.Plan.CPU,
                new BatchSize(batch))) {
            float[] features = encoder.encode(goldenTiles(pixels, config.tileSize()), new Cancellation());
            assertThat(features).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat(features[i]).as("feature %d", i).isCloseTo(expected[i], within(2e-4f));
            }
        }
    }

    private static List<EncodedImage> encoded(LanguageModel model, JsonNode names) throws IOException {
        List<EncodedImage> images = new ArrayList<>();
        for (JsonNode name : names) {
            images.add(model.encode(input(name.asText())));
        }
        return images;
    }

    private static PreparedPrompt prompt(LanguageModel model, JsonNode c) throws IOException {
        JsonNode content = c.get("messages").get(0).get("content");
        String text = "";
        for (JsonNode part : content) {
            if (part.get("type").asText().equals("text")) {
                text = part.get("text").asText();
            }
        }
        return model.prompt(List.of(ChatMessage.user(text, encoded(model, c.get("images")))), ThinkingBudget.OFF);
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    @Test
    void promptsExpandImagesExactlyAsIdefics3ProcessorDoes() throws IOException {
        for (JsonNode c : reference.get("cases")) {
            PreparedPrompt prompt = prompt(fp32, c);
            assertThat(prompt.text()).as(c.get("name").asText()).isEqualTo(c.get("expanded_prompt").asText());
            assertThat(prompt.ids()).as(c.get("name").asText()).containsExactly(ints(c.get("prompt_ids")));
            assertThat(prompt.images().count()).isEqualTo(c.get("image_token_count").asInt());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 7, 1})
    void greedyTokensOnImagePromptsMatchPyTorchAtAnyPrefillChunk(int chunk) throws IOException {
        for (JsonNode c : reference.get("cases")) {
            PreparedPrompt prompt = prompt(fp32, c);
            GenerationResult result = fp32.generate(GenerationRequest.of(prompt, Sampling.GREEDY, reference.get("max_new_tokens").asInt(),
                    ThinkingBudget.OFF).withPrefillChunk(chunk), e -> {});
            assertThat(result.tokens()).as(c.get("name").asText()).containsExactly(boxed(ints(c.get("greedy_tokens"))));
            assertThat(result.usage().imageTokens()).isEqualTo(c.get("image_token_count").asInt());
        }
    }

    @Test
    void theFourBitDecoderMatchesPyTorchOnItsDequantizedWeights() throws IOException {
        try (LanguageModel q4 = LanguageModel.load(FOLDER, new EngineOptions(Optional.of(Variant.Q4), 1))) {
            for (JsonNode c : reference.get("cases")) {
                GenerationResult result = q4.generate(GenerationRequest.of(prompt(q4, c), Sampling.GREEDY,
                        reference.get("max_new_tokens").asInt(), ThinkingBudget.OFF), e -> {});
                assertThat(result.tokens()).as(c.get("name").asText()).containsExactly(boxed(ints(c.get("q4_greedy_tokens"))));
            }
        }
    }

    private static Integer[] boxed(int[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Integer[]::new);
    }

    @Test
    void imagesAcrossTurnsKeepTheirOrderAndLeaveWithTheTurnsThatDropOut() throws IOException {
        EncodedImage shapes = fp32.encode(input("shapes-150x90"));
        EncodedImage small = fp32.encode(input("small-64x64"));
        List<ChatMessage> conversation = List.of(ChatMessage.user("What is in this picture?", List.of(shapes)),
                new ChatMessage(dev.kestrel.inference.prompt.Role.ASSISTANT, "A red circle, a blue box and a green triangle."),
                ChatMessage.user("And this one?", List.of(small)));

        PreparedPrompt both = fp32.prompt(conversation, ThinkingBudget.OFF);
        assertThat(both.images().count()).isEqualTo(shapes.tokens() + small.tokens());
        float[] rows = both.images().rows();
        assertThat(java.util.Arrays.copyOfRange(rows, 0, shapes.features().length)).containsExactly(shapes.features());
        assertThat(java.util.Arrays.copyOfRange(rows, shapes.features().length, rows.length)).containsExactly(small.features());
        assertThat(fp32.generate(GenerationRequest.of(both, Sampling.GREEDY, 8, ThinkingBudget.OFF), e -> {}).usage().imageTokens())
                .isEqualTo(shapes.tokens() + small.tokens());

        // Room for the last turn only: the first turn goes, and its image's features with it.
        int lastTurnOnly = fp32.prompt(conversation.subList(2, 3), ThinkingBudget.OFF).ids().length;
        PreparedPrompt fitted = fp32.fit(conversation, ThinkingBudget.OFF, fp32.contextLength() - lastTurnOnly - 1);
        assertThat(fitted.droppedMessages()).isEqualTo(2);
        assertThat(fitted.images().count()).isEqualTo(small.tokens());
    }

    @Test
    void anImageEncodedOnceCostsNoVisionWorkAgainEvenAfterARestart(@TempDir Path cache) throws IOException {
        EngineOptions options = new EngineOptions(Optional.of(Variant.FP32), 1).withVision(VisionOptions.DEFAULT.withCacheFolder(cache));
        EncodedImage first;
        try (LanguageModel model = LanguageModel.load(FOLDER, options)) {
            ImageEncoding attached = model.attach(input("shapes-150x90"));
            first = attached.join();
            assertThat(attached.progress()).isEqualTo(1.0);
            assertThat(first.encodeMs()).isPositive();
            assertThat(model.encode(input("shapes-150x90")).encodeMs()).isZero();
        }
        try (LanguageModel restarted = LanguageModel.load(FOLDER, options)) {
            EncodedImage again = restarted.encode(input("shapes-150x90"));
            assertThat(again.encodeMs()).isZero();
            assertThat(again.features()).containsExactly(first.features());
            assertThat(again.grid()).isEqualTo(first.grid());
        }
    }

    @Test
    void anotherTilingPolicyIsAnotherCacheEntryAndAnotherPrompt(@TempDir Path cache) throws IOException {
        VisionOptions relaxed = new VisionOptions(Optional.of("relaxed"), Optional.of(4), BatchSize.AUTO, Optional.of(cache));
        try (LanguageModel model = LanguageModel.load(FOLDER, new EngineOptions(Optional.of(Variant.FP32), 1).withVision(relaxed))) {
            EncodedImage image = model.encode(input("shapes-150x90"));
            assertThat(image.encodeMs()).isPositive();
            // 150x90 on 64-pixel tiles, at most 4: 2:2 keeps 128x76 of its pixels, every 1-row grid only 106x64.
            assertThat(image.grid()).isEqualTo(new TileGrid(2, 2, true));
            PreparedPrompt prompt = model.prompt(List.of(ChatMessage.user("What is in this picture?", List.of(image))), ThinkingBudget.OFF);
            assertThat(prompt.images().count()).isEqualTo(5 * 16);
            GenerationResult result = model.generate(GenerationRequest.of(prompt, Sampling.GREEDY, 8, ThinkingBudget.OFF), e -> {});
            assertThat(result.tokens()).isNotEmpty();
        }
    }

    @Test
    void removingAnImageCancelsItsEncoding() throws IOException {
        ImageEncoding encoding = fp32.attach(new ImageInput("slow.png", "slow-" + System.nanoTime(), () -> {
            try {
                Thread.sleep(300);
                return input("shapes-150x90").pixels().get();
            } catch (InterruptedException | IOException e) {
                throw new IllegalStateException(e);
            }
        }));
        encoding.cancel();
        assertThatThrownBy(encoding::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void closingTheModelWhileImagesEncodeWaitsForTheRunningBatchAndCancelsTheRest() throws IOException {
        List<ImageEncoding> encodings = new ArrayList<>();
        try (LanguageModel model = LanguageModel.load(FOLDER, new EngineOptions(Optional.of(Variant.FP32), 1))) {
            for (int i = 0; i < 20; i++) {
                // Each is new to the cache, so each runs the encoder; the model closes while they do.
                RgbImage pixels = input("shapes-150x90").pixels().get();
                encodings.add(model.attach(ImageInput.ofPixels("shapes " + i + ".png", "closing-" + i + "-" + System.nanoTime(), pixels)));
            }
        }
        // No crash (freeing a session during a run aborts the JVM); every encoding has ended, one way or another.
        assertThat(encodings).allSatisfy(encoding -> assertThat(encoding.isDone()).isTrue());
        assertThat(encodings.stream().filter(e -> {
            try {
                e.join();
                return false;
            } catch (CancellationException cancelled) {
                return true;
            }
        })).isNotEmpty();
    }

    @Test
    void damagedImagesAndTextOnlyModelsGetPlainMessages() throws IOException {
        assertThatThrownBy(() -> fp32.encode(ImageInput.ofBytes("broken.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3})))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("broken.png");
        try (LanguageModel text = LanguageModel.load(TinyDecoder.fixture("tiny-qwen3"), new EngineOptions(Optional.of(Variant.FP32), 1))) {
            assertThat(text.canSee()).isFalse();
            assertThatThrownBy(() -> text.encode(input("shapes-150x90"))).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("cannot look at images");
        }
    }
}
