package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.generate.Cancellation;
import dev.kestrel.inference.generate.GenerationRequest;
import dev.kestrel.inference.generate.GenerationResult;
import dev.kestrel.inference.generate.PreparedPrompt;
import dev.kestrel.inference.generate.Sampling;
import dev.kestrel.inference.generate.ThinkingBudget;
import dev.kestrel.inference.prompt.ChatMessage;
import dev.kestrel.inference.vision.Attachments;
import dev.kestrel.inference.vision.BatchSize;
import dev.kestrel.inference.vision.EncodedImage;
import dev.kestrel.inference.vision.ImageInput;
import dev.kestrel.inference.vision.ImagePipeline;
import dev.kestrel.inference.vision.ImagePreprocessor;
import dev.kestrel.inference.vision.PreparedImage;
import dev.kestrel.inference.vision.image.RgbImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kestrel bench-vision}: how fast a vision model handles an image here. Tile-encoding
 * throughput at each batch size against one tile at a time, and the time to first token of a
 * question about an image encoded beforehand against a text-only prompt of the same length.
 */
@Command(name = "bench-vision", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures image encoding per batch size and time to first token with and without an image.")
final class VisionBenchCommand implements Callable<Integer> {

    private static final String QUESTION = "What does this screen show? Describe it in one sentence.";

    @ParentCommand
    KestrelCli cli;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--image", paramLabel = "FILE", required = true, description = "The image to encode.")
    Path image;

    @Option(names = "--batches", paramLabel = "N,N", split = ",", defaultValue = "1,2,4,8",
            description = "Tile batch sizes to time (default ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Runs per figure; the median counts (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        AppPaths paths = cli.paths();
        if (runs < 1) {
            throw new AppException("--runs must be at least 1");
        }
        PrintWriter out = cli.spec.commandLine().getOut();
        try (LanguageModel model = LanguageModel.load(modelOptions.folder(), modelOptions.engineOptions(paths))) {
            ImagePipeline pipeline = model.images().orElseThrow(() -> new AppException("model '" + model.folder().name()
                    + "' reads text only; bench-vision needs a vision model"));
            ImageInput input = Attachments.read(image, pipeline.tiling()).getFirst().image();
            long decodeStart = System.nanoTime();
            RgbImage pixels = input.pixels().get();
            double decodeMs = millisSince(decodeStart);
            double prepareMs = median(() -> {
                long start = System.nanoTime();
                ImagePreprocessor.prepare(pixels, pipeline.tiling(), pipeline.encoder().config());
                return millisSince(start);
            });
            PreparedImage tiles = ImagePreprocessor.prepare(pixels, pipeline.tiling(), pipeline.encoder().config());
            pipeline.encoder().encode(tiles, new Cancellation(), new BatchSize(1), done -> {}); // warm-up
            List<double[]> perBatch = new ArrayList<>();
            for (int batch : batches) {
                BatchSize size = new BatchSize(batch);
                double ms = median(() -> {
                    long start = System.nanoTime();
                    pipeline.encoder().encode(tiles, new Cancellation(), size, done -> {});
                    return millisSince(start);
                });
                perBatch.add(new double[] {batch, ms / tiles.count()});
            }

            EncodedImage encoded = model.encode(input);
            PreparedPrompt withImage = model.prompt(List.of(ChatMessage.user(QUESTION, List.of(encoded))), ThinkingBudget.OFF);
            int[] textOnly = sameLengthText(model, withImage.ids().length);
            firstToken(model, new GenerationRequest(textOnly, Sampling.GREEDY, 1)); // warm-up, both paths
            firstToken(model, GenerationRequest.of(withImage, Sampling.GREEDY, 1, ThinkingBudget.OFF));
            double imageTtft = median(() -> firstToken(model, GenerationRequest.of(withImage, Sampling.GREEDY, 1, ThinkingBudget.OFF)));
            double textTtft = median(() -> firstToken(model, new GenerationRequest(textOnly, Sampling.GREEDY, 1)));
            double encodeMs = perBatch.stream().mapToDouble(p -> p[1]).min().orElse(0) * tiles.count() + prepareMs;

            Report report = new Report(model, pixels, tiles, decodeMs, prepareMs, perBatch, pipeline.encoder().batchTiles(),
                    withImage.ids().length, withImage.images().count(), imageTtft, textTtft, encodeMs);
            if (json) {
                out.println(JsonLines.write(report.json()));
            } else {
                report.print(out);
            }
        }
        out.flush();
        return 0;
    }

    private static double firstToken(LanguageModel model, GenerationRequest request) {
        GenerationResult result = model.generate(request.ignoringStopTokens(), e -> {});
        return result.timings().ttftMs();
    }

    /** Text-only prompt ids as long as the image prompt: the question's ids, repeated. */
    private static int[] sameLengthText(LanguageModel model, int length) {
        int[] text = model.tokenizer().encode(QUESTION + " ");
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = text[i % text.length];
        }
        return ids;
    }

    private double median(DoubleSupplier run) {
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = run.getAsDouble();
        }
        Arrays.sort(values);
        return values[runs / 2];
    }

    private static double millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e6;
    }

    private record Report(LanguageModel model, RgbImage pixels, PreparedImage tiles, double decodeMs, double prepareMs,
            List<double[]> perBatch, int autoBatch, int promptTokens, int imageTokens, double imageTtft, double textTtft,
            double coldEncodeMs) {

        double msPerTileAtOne() {
            return perBatch.stream().filter(p -> p[0] == 1).mapToDouble(p -> p[1]).findFirst().orElse(perBatch.getFirst()[1]);
        }

        ObjectNode json() {
            ObjectNode root = JsonLines.MAPPER.createObjectNode();
            root.put("model", model.folder().name());
            root.put("device", model.device());
            root.put("image", pixels.width() + "x" + pixels.height());
            root.put("grid", tiles.grid().cols() + ":" + tiles.grid().rows() + (tiles.grid().thumbnail() ? "+thumbnail" : ""));
            root.put("tiles", tiles.count());
            root.put("decode_ms", JsonLines.hundredths(decodeMs));
            root.put("preprocess_ms", JsonLines.hundredths(prepareMs));
            ArrayNode batches = root.putArray("encode");
            for (double[] p : perBatch) {
                batches.addObject().put("batch", (int) p[0]).put("ms_per_tile", JsonLines.hundredths(p[1])).put("tiles_per_s", JsonLines.hundredths(1000 / p[1]))
                        .put("speedup_vs_1", JsonLines.hundredths(msPerTileAtOne() / p[1]));
            }
            root.put("auto_batch", autoBatch);
            root.put("prompt_tokens", promptTokens);
            root.put("image_tokens", imageTokens);
            root.put("ttft_image_encoded_ms", JsonLines.hundredths(imageTtft));
            root.put("ttft_text_same_length_ms", JsonLines.hundredths(textTtft));
            root.put("ttft_ratio", Math.round(imageTtft / textTtft * 1000) / 1000.0);
            root.put("ttft_image_not_encoded_ms", JsonLines.hundredths(coldEncodeMs + imageTtft));
            return root;
        }

        void print(PrintWriter out) {
            out.printf(Locale.ROOT, "model %s on %s; image %dx%d -> grid %s, %d tiles, %d image tokens%n", model.folder().name(),
                    model.device(), pixels.width(), pixels.height(), tiles.grid().cols() + ":" + tiles.grid().rows()
                            + (tiles.grid().thumbnail() ? "+thumbnail" : ""), tiles.count(), imageTokens);
            out.printf(Locale.ROOT, "decode %.1f ms, resize and tile %.1f ms%n%n", decodeMs, prepareMs);
            out.println("| tile batch | ms per tile | tiles/s | vs one at a time |");
            out.println("|-----------:|------------:|--------:|-----------------:|");
            for (double[] p : perBatch) {
                out.printf(Locale.ROOT, "| %d | %.1f | %.2f | %.2fx |%n", (int) p[0], p[1], 1000 / p[1], msPerTileAtOne() / p[1]);
            }
            out.printf(Locale.ROOT, "%ntime to first token, %d-token prompt: image encoded beforehand %.1f ms, text only %.1f ms,"
                    + " ratio %.3f; image not encoded yet %.1f ms%n", promptTokens, imageTtft, textTtft, imageTtft / textTtft,
                    coldEncodeMs + imageTtft);
        }
    }
}
