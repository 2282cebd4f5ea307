package dev.kestrel.app.library;

import dev.kestrel.app.AppException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches a model's files into a folder, several at a time. Each file is written as {@code
 * NAME.part} and renamed once it is whole and its checksum matches, so a file without {@code .part}
 * is always complete. A {@code .part} left by a dropped connection, a pause or a killed process is
 * continued with an HTTP Range request; a server that ignores the range sends the file again from
 * the start. HTTPS only (plain HTTP only to this machine, for tests and local mirrors).
 */
public final class Downloader {

    /** How far the whole download is: bytes on disk, of the total (-1 while a size is unknown). */
    public interface Progress {
        void update(long done, long total);
    }

    static final int ATTEMPTS = 4;

    private final HttpClient client;
    private final int parallel;
    private final Optional<String> token;

    public Downloader(HttpClient client, int parallel, Optional<String> token) {
        this.client = client;
        this.parallel = parallel;
        this.token = token;
    }

    /** Four files at a time, redirects followed (Hugging Face serves weights from a CDN), HF_TOKEN sent if set. */
    public static Downloader standard() {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20))
                .build();
        String token = System.getenv("HF_TOKEN");
        return new Downloader(client, 4, token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip()));
    }

    /** Bytes still to fetch for {@code files} into {@code folder}: what their parts do not hold yet. */
    public static long remaining(List<RemoteFile> files, Path folder) {
        long left = 0;
        for (RemoteFile file : files) {
            Path target = folder.resolve(file.path());
            if (!Files.isRegularFile(target) && file.size() > 0) {
                left += Math.max(0, file.size() - sizeOf(part(target)));
            }
        }
        return left;
    }

    /**
     * Fetches every file not yet whole in {@code folder}. Stops early when {@code stop} is set
     * (the parts stay, to be continued), throwing {@link CancellationException}. A file that cannot
     * be fetched or does not match its checksum does not stop the others; once they end, the first
     * such failure is thrown, an {@link AppException} naming the file.
     */
    public void fetch(List<RemoteFile> files, Path folder, Progress progress, AtomicBoolean stop) {
        files.forEach(file -> mustBeAllowed(file.url()));
        long total = files.stream().anyMatch(f -> f.size() < 0) ? -1 : files.stream().mapToLong(RemoteFile::size).sum();
        AtomicLong done = new AtomicLong();
        for (RemoteFile file : files) {
            Path target = folder.resolve(file.path());
            done.addAndGet(Files.isRegularFile(target) ? sizeOf(target) : sizeOf(part(target)));
        }
        progress.update(done.get(), total);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, files.size())), task -> {
            Thread thread = new Thread(task, "kestrel-download");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (RemoteFile file : files) {
                // A file that fails leaves the others going: the next pull then fetches only what failed.
                running.add(pool.submit(() -> {
                    fetchOne(file, folder.resolve(file.path()), bytes -> progress.update(done.addAndGet(bytes), total), stop);
                    return null;
                }));
            }
            RuntimeException first = null;
            for (Future<?> future : running) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new AppException(e.getCause().toString());
                    if (first == null || first instanceof CancellationException) {
                        first = cause;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.set(true);
                    first = new CancellationException("interrupted");
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private interface Counter {
        void add(long bytes);
    }

    private void fetchOne(RemoteFile file, Path target, Counter counter, AtomicBoolean stop) {
        if (Files.isRegularFile(target)) {
            return;
        }
        Path part = part(target);
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (stop.get()) {
                throw new CancellationException("stopped");
            }
            try {
                Files.createDirectories(target.getParent());
                long have = sizeOf(part);
                if (file.size() >= 0 && have > file.size()) {
                    counter.add(-have);
                    Files.delete(part);
                    have = 0;
                }
                if (file.size() < 0 || have < file.size()) {
                    receive(file, part, have, counter, stop);
                }
                finish(file, part, target, counter);
                return;
            } catch (IOException e) {
                last = e; // a dropped connection: go on from what the part holds
                sleep(attempt);
            }
        }
        throw new AppException("cannot download " + file.path() + " from " + file.url().getHost() + " after " + ATTEMPTS + " tries: "
                + message(last) + "; run the same command again to continue where it stopped");
    }

    private void receive(RemoteFile file, Path part, long have, Counter counter, AtomicBoolean stop) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(file.url()).timeout(Duration.ofMinutes(2)).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status == 416 && have > 0) {
                // The part already holds the whole file (its size was unknown): check it as it is.
                return;
            }
            if (status == 401 || status == 403) {
                throw new AppException(file.url().getHost() + " refused " + file.path() + " (HTTP " + status + ")"
                        + (token.isEmpty() ? "; a gated model needs HF_TOKEN set to an access token" : "; check HF_TOKEN"));
            }
            if (status == 404) {
                throw new AppException(file.url().getHost() + " has no " + file.path() + " (HTTP 404 for " + file.url() + ")");
            }
            if (status != 200 && status != 206) {
                throw new IOException("HTTP " + status);
            }
            boolean append = status == 206 && have > 0;
            if (!append && have > 0) {
                counter.add(-have); // the server sends the whole file again
            }
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = body.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    counter.add(n);
                    if (stop.get()) {
                        throw new CancellationException("stopped");
                    }
                }
            }
        }
    }

    private static void finish(RemoteFile file, Path part, Path target, Counter counter) throws IOException {
        long size = sizeOf(part);
        if (file.size() >= 0 && size != file.size()) {
            throw new IOException(file.path() + " ended at " + size + " of " + file.size() + " bytes");
        }
        if (file.checksum().isPresent()) {
            Checksum expected = file.checksum().get();
            String actual = expected.of(part);
            if (!actual.equals(expected.hex())) {
                Files.delete(part);
                counter.add(-size);
                throw new AppException(file.path() + " did not match its checksum (" + expected.text() + ", got " + actual
                        + "), so it was discarded; run the same command again to download it anew");
            }
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** HTTPS, or plain HTTP to this machine only. */
    static void mustBeAllowed(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("https")) {
            return;
        }
        if (scheme.equals("http") && isLoopback(url.getHost())) {
            return;
        }
        throw new AppException("Kestrel downloads over HTTPS only, not " + url);
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        try {
            return host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static Path part(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String message(IOException e) {
        if (e == null) {
            return "no reply";
        }
        String text = e.getMessage();
        return text == null || text.isBlank() ? e.getClass().getSimpleName() : text;
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(200L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }
}
