package dev.kestrel.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.Failure;
import dev.kestrel.app.chat.Attachment;
import dev.kestrel.app.chat.HistoryTurn;
import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.vision.EncodedImage;
import dev.kestrel.inference.vision.pdf.PageRange;
import dev.kestrel.inference.generate.Cancellation;
import dev.kestrel.inference.generate.GenerationEvent;
import dev.kestrel.inference.generate.GenerationRequest;
import dev.kestrel.inference.generate.GenerationResult;
import dev.kestrel.inference.generate.PreparedPrompt;
import dev.kestrel.inference.generate.Sampling;
import dev.kestrel.inference.generate.ThinkingBudget;
import dev.kestrel.inference.prompt.ChatMessage;
import dev.kestrel.storage.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kestrel ask}: one answer streamed to stdout, or many from a JSON Lines batch. */
@Command(name = "ask", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Answers PROMPT with a model, streaming the answer to stdout as it is written.")
final class AskCommand implements Callable<Integer> {

    @ParentCommand
    KestrelCli cli;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--image", paramLabel = "FILE", description = "An image or PDF to ask about; repeatable.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--pages", paramLabel = "RANGE", description = "Pages of attached PDFs to show the model, e.g. 1-3,5 (default: all, up to 10).")
    String pages;

    @Option(names = "--pdf-text", description = "Give the model the text layer of attached PDF pages too, before the question.")
    boolean pdfText;

    @ArgGroup(exclusive = true)
    Thinking thinking;

    static final class Thinking {
        @Option(names = "--think-budget", paramLabel = "N", description = "Think at most N tokens (0: do not think).")
        Integer budget;

        @Option(names = "--no-think", description = "Answer without thinking.")
        boolean off;
    }

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "1024", description = "Generate at most N tokens (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--greedy", description = "Always take the most likely token.")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P")
    Double topP;

    @Option(names = "--top-k", paramLabel = "K")
    Integer topK;

    @Option(names = "--seed", paramLabel = "S")
    Long seed;

    @Option(names = "--min-p", paramLabel = "P", description = "Keep only tokens at least P times as likely as the best.")
    Double minP;

    @Option(names = "--repetition-penalty", paramLabel = "R", description = "Make tokens already seen less likely (1: off).")
    Double repetitionPenalty;

    @Option(names = "--stop", paramLabel = "TEXT", description = "End the answer before TEXT; repeatable.")
    List<String> stops = new ArrayList<>();

    @Option(names = "--ignore-eos", description = "Go on past the model's stop tokens until --max-tokens (for benchmarks and tests).")
    boolean ignoreEos;

    @Option(names = "--hide-thinking", description = "Stream only the answer, not the thinking.")
    boolean hideThinking;


    @Option(names = "--prefill-chunk", paramLabel = "N", defaultValue = "128", description = "Prompt tokens per prefill step (default ${DEFAULT-VALUE}).")
    int prefillChunk;

    @Option(names = "--json", description = "Print one JSON object with the answer, tokens, usage and timings instead of the text.")
    boolean json;

    @Option(names = "--db", paramLabel = "FILE", description = "Keep the question and the answer in this history database"
            + " (the answer is saved as it streams).")
    Path db;

    @Option(names = "--conversation", paramLabel = "ID", description = "With --db: continue this conversation (default: a new one).")
    Long conversation;

    @Option(names = "--batch", paramLabel = "FILE", description = "Answer every request of a JSON Lines file, one JSON result a line.")
    Path batch;

    @Parameters(arity = "0..1", paramLabel = "PROMPT", description = "The question.")
    String prompt;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        validate();
        AppPaths paths = cli.paths();
        PrintWriter out = spec.commandLine().getOut();
        EngineOptions options = modelOptions.engineOptions(paths);
        if (batch != null && !Files.isRegularFile(batch)) {
            throw new AppException("batch file '" + batch + "' does not exist");
        }
        try (LanguageModel loaded = LanguageModel.load(modelOptions.folder(), options)) {
            loaded.deviceFallback().ifPresent(reason -> spec.commandLine().getErr().println("kestrel: note: " + reason));
            Sampling sampling = sampling(loaded);
            if (batch != null) {
                return answerBatch(loaded, sampling, out);
            }
            if (db != null) {
                return answerInHistory(loaded, sampling, out);
            }
            GenerationResult result = answer(loaded, List.of(), prompt, read(loaded, images), thinkingBudget(), sampling, out, !json,
                    event -> { });
            if (json) {
                out.println(JsonLines.write(resultJson(result, loaded.loadMs())));
            } else {
                out.println();
            }
            out.flush();
            return 0;
        }
    }

    private void validate() {
        if (greedy && (temperature != null || topP != null || topK != null || minP != null)) {
            throw parameterError("--greedy excludes --temperature, --top-p, --top-k and --min-p");
        }
        if (stops.stream().anyMatch(String::isEmpty)) {
            throw parameterError("--stop needs a non-empty text");
        }
        if (prompt == null && batch == null) {
            throw parameterError("ask needs a PROMPT, or --batch FILE");
        }
        if (prompt != null && batch != null) {
            throw parameterError("give either a PROMPT or --batch FILE, not both");
        }
        if (maxTokens < 1) {
            throw parameterError("--max-tokens must be at least 1");
        }
        if (thinking != null && thinking.budget != null && thinking.budget < 0) {
            throw parameterError("--think-budget must be 0 or more");
        }
        if (prefillChunk < 1) {
            throw parameterError("--prefill-chunk must be at least 1");
        }
        if (conversation != null && db == null) {
            throw parameterError("--conversation needs --db FILE");
        }
        if (db != null && batch != null) {
            throw parameterError("--db keeps one PROMPT's turn; it does not take --batch");
        }
    }

    private CommandLine.ParameterException parameterError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * --greedy; else the model's own settings, with any of --temperature, --top-p, --top-k, --min-p
     * put over them; --repetition-penalty applies either way.
     */
    private Sampling sampling(LanguageModel loaded) {
        try {
            Sampling chosen;
            if (greedy) {
                chosen = Sampling.GREEDY;
            } else {
                long seedValue = seed != null ? seed : ThreadLocalRandom.current().nextLong();
                Sampling defaults = loaded.defaultSampling(seedValue);
                if (temperature == null && topP == null && topK == null && minP == null) {
                    chosen = defaults;
                } else {
                    double t = temperature != null ? temperature : defaults.greedy() ? 1.0 : defaults.temperature();
                    chosen = new Sampling(t, topK != null ? topK : defaults.topK(), topP != null ? topP : defaults.topP(),
                            minP != null ? minP : defaults.minP(), defaults.repetitionPenalty(), seedValue);
                }
            }
            return repetitionPenalty == null ? chosen : chosen.withRepetitionPenalty(repetitionPenalty);
        } catch (IllegalArgumentException e) {
            throw new AppException(e.getMessage());
        }
    }

    /** No flag: think without a budget; --no-think or --think-budget 0: do not think. */
    private ThinkingBudget thinkingBudget() {
        if (thinking == null) {
            return ThinkingBudget.UNLIMITED;
        }
        return thinking.off ? ThinkingBudget.OFF : ThinkingBudget.of(thinking.budget);
    }

    /** The attached files, read and encoding: an image file gives one picture, a PDF one a page. */
    private List<Attachment> read(LanguageModel loaded, List<Path> files) {
        List<Attachment> attached = new ArrayList<>();
        try {
            for (Path file : files) {
                attached.add(Attachment.read(loaded, file, pageRange()));
            }
            return attached;
        } catch (RuntimeException e) {
            attached.forEach(Attachment::discard);
            throw e;
        }
    }

    /** The question, after the text layers of attached PDF pages when --pdf-text asks for them. */
    private String withPageText(String question, List<Attachment.Picture> pictures) {
        StringBuilder text = new StringBuilder();
        if (pdfText) {
            for (Attachment.Picture picture : pictures) {
                if (!picture.text().isBlank()) {
                    text.append("Text of ").append(picture.label()).append(":\n").append(picture.text()).append("\n\n");
                }
            }
        }
        return text.append(question).toString();
    }

    private Optional<PageRange> pageRange() {
        return pages == null ? Optional.empty() : Optional.of(PageRange.parse(pages));
    }

    /**
     * Answers PROMPT after the conversation's earlier turns, storing the question, its files and the
     * answer as it streams in the history database; a kill leaves the answer so far, which the next
     * opening marks interrupted.
     */
    private int answerInHistory(LanguageModel loaded, Sampling sampling, PrintWriter out) {
        PrintWriter err = spec.commandLine().getErr();
        try (Database database = Database.open(db)) {
            database.damagedCopy().ifPresent(copy -> err.println("kestrel: note: the history database was damaged; it is kept at "
                    + copy + " and a new one was started"));
            List<Attachment> files = read(loaded, images);
            HistoryTurn turn = HistoryTurn.begin(database, conversation == null ? OptionalLong.empty() : OptionalLong.of(conversation),
                    prompt, files, loaded, sampling, thinkingBudget(), notice -> err.println("kestrel: note: " + notice));
            GenerationResult result;
            try {
                result = answer(loaded, turn.earlier(), prompt, files, thinkingBudget(), sampling, out, !json, turn.recorder()::accept);
            } catch (RuntimeException e) {
                turn.recorder().fail(e);
                throw e;
            }
            turn.recorder().finish(result);
            if (json) {
                ObjectNode object = resultJson(result, loaded.loadMs());
                object.put("conversation_id", turn.conversationId());
                object.put("message_id", turn.replyId());
                out.println(JsonLines.write(object));
            } else {
                out.println();
            }
            out.flush();
            return 0;
        }
    }

    /**
     * Generates one answer to {@code question} after {@code earlier} turns (the oldest left out when
     * they do not fit); stops cleanly (finish reason "cancelled") on Ctrl+C. Every event also goes to
     * {@code also}.
     */
    private GenerationResult answer(LanguageModel loaded, List<ChatMessage> earlier, String question, List<Attachment> files,
            ThinkingBudget budget, Sampling sampling, PrintWriter out, boolean stream, Consumer<GenerationEvent> also) {
        Cancellation cancellation = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            cancellation.cancel();
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kestrel-ask-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            List<Attachment.Picture> chosen = files.stream().flatMap(f -> f.chosen().stream()).toList();
            List<EncodedImage> pictures = Attachment.encoded(chosen);
            double encodeMs = pictures.stream().mapToDouble(EncodedImage::encodeMs).sum();
            List<ChatMessage> conversation = new ArrayList<>(earlier);
            conversation.add(ChatMessage.user(withPageText(question, chosen), pictures));
            PreparedPrompt prepared = earlier.isEmpty() ? loaded.prompt(conversation, budget)
                    : loaded.fit(conversation, budget, Math.min(maxTokens, loaded.contextLength() / 4));
            GenerationRequest request = GenerationRequest.of(prepared, sampling, maxTokens, budget)
                    .withStopStrings(stops).withPrefillChunk(prefillChunk).withCancellation(cancellation);
            if (ignoreEos) {
                request = request.ignoringStopTokens();
            }
            GenerationResult result = loaded.generate(request, event -> {
                also.accept(event);
                if (stream) {
                    print(event, out);
                }
            });
            return result.withTimings(result.timings().withImageEncodeMs(encodeMs));
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: the JVM is on its way out after this answer.
            }
        }
    }

    /** The answer as it is written; thinking between <think> lines unless --hide-thinking. */
    private void print(GenerationEvent event, PrintWriter out) {
        String text = switch (event) {
            case GenerationEvent.ThinkingStarted started -> hideThinking ? "" : "<think>\n";
            case GenerationEvent.Thinking(String delta) -> hideThinking ? "" : delta;
            case GenerationEvent.ThinkingEnded ended -> hideThinking ? "" : "\n</think>\n\n";
            case GenerationEvent.Text(String delta) -> delta;
            default -> "";
        };
        if (!text.isEmpty()) {
            out.print(text);
            out.flush();
        }
    }

    private int answerBatch(LanguageModel loaded, Sampling sampling, PrintWriter out) throws IOException {
        Path folder = batch.toAbsolutePath().getParent();
        try (InputStream in = Files.newInputStream(batch)) {
            JsonLines.read(in, batch.toString(), (request, line) -> {
                out.println(JsonLines.write(answerOne(loaded, sampling, request, line, folder)));
                out.flush();
            });
        }
        return 0;
    }

    private JsonNode answerOne(LanguageModel loaded, Sampling sampling, JsonNode request, int line, Path folder) {
        try {
            if (!request.isObject() || !request.path("prompt").isTextual()) {
                throw new AppException("line " + line + " has no \"prompt\" string");
            }
            List<Path> requestImages = new ArrayList<>();
            request.path("images").forEach(image -> requestImages.add(folder.resolve(image.asText())));
            ThinkingBudget budget = thinkingBudget();
            if (request.has("think_budget")) {
                JsonNode value = request.get("think_budget");
                if (!value.isNull() && !(value.canConvertToInt() && value.asInt() >= 0)) {
                    throw new AppException("line " + line + " has a \"think_budget\" that is not null or a whole number of tokens");
                }
                budget = value.isNull() ? ThinkingBudget.UNLIMITED : ThinkingBudget.of(value.asInt());
            }
            GenerationResult result = answer(loaded, List.of(), request.get("prompt").asText(), read(loaded, requestImages), budget,
                    sampling, spec.commandLine().getOut(), false, event -> { });
            return resultJson(result, loaded.loadMs());
        } catch (RuntimeException e) {
            ObjectNode error = JsonLines.MAPPER.createObjectNode();
            error.put("error", Failure.of(e).message());
            return error;
        }
    }

    /** The result object of ../shared/specs/cli.md, in its field order. */
    static ObjectNode resultJson(GenerationResult result, double loadMs) {
        ObjectNode json = JsonLines.MAPPER.createObjectNode();
        json.put("text", result.text());
        json.put("thinking", result.thinking());
        result.tokens().forEach(json.putArray("tokens")::add);
        json.put("finish_reason", result.finishReason().label());
        ObjectNode usage = json.putObject("usage");
        usage.put("prompt_tokens", result.usage().promptTokens());
        usage.put("image_tokens", result.usage().imageTokens());
        usage.put("thinking_tokens", result.usage().thinkingTokens());
        usage.put("completion_tokens", result.usage().completionTokens());
        ObjectNode timings = json.putObject("timings_ms");
        timings.put("load", JsonLines.hundredths(loadMs));
        timings.put("image_encode", JsonLines.hundredths(result.timings().imageEncodeMs()));
        timings.put("prefill", JsonLines.hundredths(result.timings().prefillMs()));
        timings.put("ttft", JsonLines.hundredths(result.timings().ttftMs()));
        timings.put("decode", JsonLines.hundredths(result.timings().decodeMs()));
        json.put("decode_tokens_per_s", JsonLines.hundredths(result.decodeTokensPerSecond()));
        json.put("device", result.device());
        return json;
    }
}
