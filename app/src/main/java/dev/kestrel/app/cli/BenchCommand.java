package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.generate.GenerationRequest;
import dev.kestrel.inference.generate.GenerationResult;
import dev.kestrel.inference.generate.Sampling;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kestrel bench}: how fast a model runs here. Greedy decoding of a fixed number of tokens
 * (stop tokens ignored), repeated; the engine's overhead over ONNX Runtime (decode wall time per
 * time inside session.run); and the time per token as the context grows.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures decode speed, engine overhead and time per token as the context grows.")
final class BenchCommand implements Callable<Integer> {

    private static final String TEXT = "The quick brown fox jumps over the lazy dog while Kestrel keeps every word on this laptop. ";

    @ParentCommand
    KestrelCli cli;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "64", description = "Tokens to decode per run (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Decode runs; the median counts (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "32", description = "Prompt length of the decode runs.")
    int promptTokens;

    @Option(names = "--contexts", paramLabel = "N,N", split = ",", defaultValue = "16,128,512,1024,2048",
            description = "Context lengths for the time-per-token curve (default ${DEFAULT-VALUE}).")
    List<Integer> contexts;

    @Option(names = "--prompt-ids", paramLabel = "FILE", description = "Decode from these prompt ids (a JSON array) instead.")
    Path promptIds;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        AppPaths paths = cli.paths();
        if (tokens < 2 || runs < 1) {
            throw new AppException("--tokens must be at least 2 and --runs at least 1");
        }
        PrintWriter out = cli.spec.commandLine().getOut();
        try (LanguageModel loaded = LanguageModel.load(modelOptions.folder(), modelOptions.engineOptions(paths))) {
            int[] prompt = promptIds != null ? JsonLines.MAPPER.readValue(Files.readString(promptIds), int[].class) : ids(loaded, promptTokens);
            decode(loaded, prompt, 8); // warm-up: JIT, ONNX Runtime's first-run allocations
            List<GenerationResult> decodes = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                decodes.add(decode(loaded, prompt, tokens));
            }
            GenerationResult median = decodes.stream()
                    .sorted((a, b) -> Double.compare(a.decodeTokensPerSecond(), b.decodeTokensPerSecond())).toList().get(runs / 2);
            List<double[]> curve = new ArrayList<>();
            for (int context : contexts) {
                if (context + 16 >= loaded.contextLength()) {
                    continue;
                }
                GenerationResult r = decode(loaded, ids(loaded, context), 17);
                curve.add(new double[] {context, r.timings().prefillMs(), r.timings().decodeMs() / (r.tokens().size() - 1),
                        r.timings().engineOverhead()});
            }
            long peakKb = peakResidentKb();
            if (json) {
                out.println(JsonLines.write(report(loaded, prompt.length, median, curve, peakKb)));
            } else {
                print(out, loaded, prompt.length, median, curve, peakKb);
            }
        }
        out.flush();
        return 0;
    }

    private static GenerationResult decode(LanguageModel model, int[] prompt, int count) {
        return model.generate(new GenerationRequest(prompt, Sampling.GREEDY, count).ignoringStopTokens(), e -> {});
    }

    /** {@code count} prompt ids: the benchmark text, tokenized and repeated. */
    private static int[] ids(LanguageModel model, int count) {
        int[] text = model.tokenizer().encode(TEXT);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = text[i % text.length];
        }
        return ids;
    }

    private ObjectNode report(LanguageModel model, int promptLength, GenerationResult median, List<double[]> curve, long peakKb) {
        ObjectNode root = JsonLines.MAPPER.createObjectNode();
        root.put("model", model.folder().name());
        root.put("variant", model.variant().label());
        root.put("device", model.device());
        root.put("load_ms", JsonLines.hundredths(model.loadMs()));
        root.put("prompt_tokens", promptLength);
        root.put("decoded_tokens", median.tokens().size());
        root.put("prefill_ms", JsonLines.hundredths(median.timings().prefillMs()));
        root.put("ttft_ms", JsonLines.hundredths(median.timings().ttftMs()));
        root.put("decode_tokens_per_s", JsonLines.hundredths(median.decodeTokensPerSecond()));
        root.put("decode_ms_per_token", JsonLines.hundredths(median.timings().decodeMs() / (median.tokens().size() - 1)));
        root.put("engine_overhead", Math.round(median.timings().engineOverhead() * 1000) / 1000.0);
        root.put("peak_resident_mb", peakKb / 1024);
        median.tokens().forEach(root.putArray("tokens")::add);
        ArrayNode points = root.putArray("context_curve");
        for (double[] p : curve) {
            points.addObject().put("context", (int) p[0]).put("prefill_ms", JsonLines.hundredths(p[1])).put("decode_ms_per_token", JsonLines.hundredths(p[2]))
                    .put("engine_overhead", Math.round(p[3] * 1000) / 1000.0);
        }
        return root;
    }

    private void print(PrintWriter out, LanguageModel model, int promptLength, GenerationResult median, List<double[]> curve, long peakKb) {
        out.printf(Locale.ROOT, "model %s (%s) on %s, loaded in %.0f ms, peak resident memory %d MB%n", model.folder().name(),
                model.variant().label(), model.device(), model.loadMs(), peakKb / 1024);
        out.printf(Locale.ROOT, "decode: %d tokens after a %d-token prompt, median of %d runs: %.1f tokens/s, %.2f ms/token,"
                        + " engine overhead %.3f (wall time / time inside session.run)%n",
                median.tokens().size(), promptLength, runs, median.decodeTokensPerSecond(),
                median.timings().decodeMs() / (median.tokens().size() - 1), median.timings().engineOverhead());
        out.println();
        out.println("| context | prefill ms | prefill tokens/s | decode ms/token | engine overhead |");
        out.println("|--------:|-----------:|-----------------:|----------------:|----------------:|");
        for (double[] p : curve) {
            out.printf(Locale.ROOT, "| %d | %.1f | %.0f | %.2f | %.3f |%n", (int) p[0], p[1], p[0] / (p[1] / 1000), p[2], p[3]);
        }
    }

    /** Peak resident set size of this process (VmHWM on Linux), 0 where unknown. */
    private static long peakResidentKb() {
        Path status = Path.of("/proc/self/status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(Arrays.stream(line.split("\\s+")).filter(s -> s.chars().allMatch(Character::isDigit))
                            .findFirst().orElse("0"));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
