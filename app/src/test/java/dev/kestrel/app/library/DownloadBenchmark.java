package dev.kestrel.app.library;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fast the model library's {@link Downloader} fetches a model's files, against curl fetching
 * the same files from the same local server side by side: four 64 MB files, four at a time, each
 * checked against its SHA-256 (curl's run adds {@code sha256sum}, since Kestrel checks every file).
 * The server is the JDK's file server on loopback, so the figures are what the client costs, not
 * what a network gives. Prints a table and writes {@code target/bench/download.md}; asserts nothing
 * and is not part of {@code .ci/run}:
 *
 * <pre>./mvnw -pl app -am verify -Dtest=DownloadBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class DownloadBenchmark {

    static final int FILES = 4;
    static final int MEGABYTES = 64;
    static final int ROUNDS = 3;

    @Test
    void downloaderAgainstCurl(@TempDir Path dir) throws Exception {
        Path served = dir.resolve("served");
        Files.createDirectories(served);
        List<Path> files = new ArrayList<>();
        byte[] block = new byte[1 << 20];
        Random random = new Random(42);
        for (int i = 0; i < FILES; i++) {
            Path file = served.resolve("model-" + i + ".onnx_data");
            try (var out = Files.newOutputStream(file)) {
                for (int m = 0; m < MEGABYTES; m++) {
                    random.nextBytes(block);
                    out.write(block);
                }
            }
            files.add(file);
        }
        HttpServer server = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), served,
                SimpleFileServer.OutputLevel.NONE);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            List<RemoteFile> remote = new ArrayList<>();
            for (Path file : files) {
                String name = file.getFileName().toString();
                remote.add(new RemoteFile(name, base.resolve(name), Files.size(file), Optional.of(Checksum.sha256Of(file))));
            }
            double megabytes = FILES * (double) MEGABYTES * (1 << 20) / 1e6;
            List<Double> kestrel = new ArrayList<>();
            List<Double> curl = new ArrayList<>();
            List<Double> curlOnly = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                kestrel.add(megabytes / downloader(remote, dir.resolve("kestrel-" + round)));
                curl.add(megabytes / curl(remote, dir.resolve("curl-" + round), true));
                curlOnly.add(megabytes / curl(remote, dir.resolve("curl-only-" + round), false));
            }
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                    "%d files of %d MB from a local server, %d at a time, each checked against its SHA-256; MB/s per round%n%n",
                    FILES, MEGABYTES, FILES));
            table.append("| client | ").append(String.join(" | ", java.util.stream.IntStream.rangeClosed(1, ROUNDS).mapToObj(r -> "round " + r).toList()))
                    .append(" | median |\n|---|").append("--:|".repeat(ROUNDS + 1)).append('\n');
            row(table, "Kestrel Downloader", kestrel);
            row(table, "curl --parallel + sha256sum (peer)", curl);
            row(table, "curl --parallel, no checksum", curlOnly);
            table.append(String.format(Locale.ROOT, "%nratio of medians, Kestrel / curl: %.2f%n", median(kestrel) / median(curl)));
            System.out.println(table);
            Path bench = Path.of("target/bench");
            Files.createDirectories(bench);
            Files.writeString(bench.resolve("download.md"), table);
        } finally {
            server.stop(0);
        }
    }

    /** Seconds the Downloader takes for {@code files} into {@code folder}. */
    static double downloader(List<RemoteFile> files, Path folder) throws IOException {
        Files.createDirectories(folder);
        long start = System.nanoTime();
        Downloader.standard().fetch(files, folder, (done, total) -> { }, new AtomicBoolean());
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds curl takes to fetch {@code files} four at a time, then sha256sum to hash them if {@code check}. */
    static double curl(List<RemoteFile> files, Path folder, boolean check) throws Exception {
        Files.createDirectories(folder);
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--no-progress-meter", "--fail", "--parallel", "--parallel-max", String.valueOf(FILES)));
        for (RemoteFile file : files) {
            command.add("-o");
            command.add(folder.resolve(file.path()).toString());
            command.add(file.url().toString());
        }
        List<String> hash = new ArrayList<>(List.of("sha256sum"));
        files.forEach(file -> hash.add(folder.resolve(file.path()).toString()));
        long start = System.nanoTime();
        run(command);
        if (check) {
            run(hash);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " failed");
        }
    }

    static void row(StringBuilder table, String name, List<Double> values) {
        table.append("| ").append(name).append(" | ");
        values.forEach(v -> table.append(String.format(Locale.ROOT, "%.0f | ", v)));
        table.append(String.format(Locale.ROOT, "%.0f |%n", median(values)));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
