package dev.kestrel.app.cli;

import dev.kestrel.storage.Database;
import dev.kestrel.storage.Message;
import dev.kestrel.storage.MessageStatus;
import dev.kestrel.storage.ReplyMetrics;
import dev.kestrel.storage.Role;
import dev.kestrel.storage.SamplingSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kestrel history bench}: how fast the history takes a streaming reply and answers searches,
 * on a new database filled with generated conversations. Prints the table of docs/bench/storage.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures streaming writes and search on a generated history (a new file; nothing of yours is touched).")
final class HistoryBench implements Callable<Integer> {

    private static final int WORDS = 5_000;

    @ParentCommand
    HistoryCommand history;

    @Option(names = "--db", paramLabel = "FILE", required = true, description = "Where to create the benchmark database (must not exist).")
    Path db;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "100000", description = "Messages to fill it with (default ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "2000", description = "Tokens in the streamed reply (default ${DEFAULT-VALUE}).")
    int tokens;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(db)) {
            throw new dev.kestrel.app.AppException("'" + db + "' exists; the benchmark writes a new database");
        }
        PrintWriter out = history.spec.commandLine().getOut();
        Random random = new Random(20261122);
        String[] vocabulary = vocabulary(random);
        try (Database database = Database.open(db)) {
            long start = System.nanoTime();
            int perConversation = 100;
            for (int made = 0; made < messages; made += perConversation) {
                long id = database.conversations().create(sentence(random, vocabulary, 4), "bench").id();
                OptionalLong parent = OptionalLong.empty();
                for (int i = 0; i < perConversation && made + i < messages; i++) {
                    Role role = i % 2 == 0 ? Role.USER : Role.ASSISTANT;
                    Message m = database.messages().append(id, parent, role, sentence(random, vocabulary, i % 2 == 0 ? 12 : 60));
                    parent = OptionalLong.of(m.id());
                }
            }
            double fillSeconds = seconds(start);
            out.printf("| fill: %,d messages, one transaction each | %.1f s | %,.0f messages/s |%n", messages, fillSeconds,
                    messages / fillSeconds);

            out.printf("| streamed reply, a save per token (%,d tokens) | %s |%n", tokens, stream(database, random, vocabulary, false));
            out.printf("| the same while another thread searches without pause | %s |%n", stream(database, random, vocabulary, true));

            List<String> queries = List.of(vocabulary[0], vocabulary[40], vocabulary[2_000], vocabulary[4_999],
                    vocabulary[3] + " " + vocabulary[900], vocabulary[1_500].substring(0, 3));
            for (String query : queries) {
                double[] ms = new double[21];
                int hits = 0;
                for (int i = 0; i < ms.length; i++) {
                    long t = System.nanoTime();
                    hits = database.search().search(query, 0, 20).size();
                    ms[i] = (System.nanoTime() - t) / 1e6;
                }
                Arrays.sort(ms);
                out.printf("| search '%s' (first 20 hits of a page: %d) | median %.2f ms | max %.2f ms |%n", query, hits, ms[ms.length / 2],
                        ms[ms.length - 1]);
            }
            out.printf("| database file | %.1f MB |%n", (Files.size(db) + sizeOr0(Path.of(db + "-wal"))) / 1e6);
        }
        out.flush();
        return 0;
    }

    /** One reply streamed token by token, saved after every token; figures per save. */
    private String stream(Database database, Random random, String[] vocabulary, boolean withReader) throws InterruptedException {
        long id = database.conversations().create("Streaming", "bench").id();
        Message question = database.messages().append(id, OptionalLong.empty(), Role.USER, "Tell me a long story.");
        Message reply = database.messages().startReply(id, question.id(), "bench", SamplingSettings.GREEDY);
        AtomicBoolean running = new AtomicBoolean(withReader);
        AtomicInteger searches = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (running.get()) {
                database.search().search(vocabulary[random.nextInt(200)], 0, 20);
                searches.incrementAndGet();
            }
        }, "bench-reader");
        if (withReader) {
            reader.start();
        }
        StringBuilder text = new StringBuilder();
        double[] ms = new double[tokens];
        long start = System.nanoTime();
        for (int i = 0; i < tokens; i++) {
            text.append(' ').append(vocabulary[random.nextInt(WORDS)]);
            long t = System.nanoTime();
            database.messages().updateReply(reply.id(), text.toString(), "");
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double total = seconds(start);
        database.messages().finishReply(reply.id(), text.toString(), "", MessageStatus.COMPLETE, ReplyMetrics.NONE);
        running.set(false);
        if (withReader) {
            reader.join();
        }
        Arrays.sort(ms);
        return String.format("%,.0f saves/s | median %.2f ms, p99 %.2f ms, max %.2f ms a save%s", tokens / total, ms[tokens / 2],
                ms[(int) (tokens * 0.99)], ms[tokens - 1], withReader ? String.format(" (%,d searches meanwhile)", searches.get()) : "");
    }

    private static String[] vocabulary(Random random) {
        String[] words = new String[WORDS];
        String letters = "etaoinshrdlcumwfgypbvkjxqz";
        for (int i = 0; i < WORDS; i++) {
            StringBuilder word = new StringBuilder();
            int length = 3 + random.nextInt(7);
            for (int k = 0; k < length; k++) {
                word.append(letters.charAt((int) Math.min(letters.length() - 1, Math.abs(random.nextGaussian()) * 8)));
            }
            words[i] = word.append(i).toString();
        }
        return words;
    }

    /** Words drawn with Zipf-like frequencies: word i about 1/(i+1) as often as the first. */
    private static String sentence(Random random, String[] vocabulary, int length) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            words.add(vocabulary[(int) Math.min(WORDS - 1, Math.exp(random.nextDouble() * Math.log(WORDS)) - 1)]);
        }
        return String.join(" ", words);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static long sizeOr0(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
