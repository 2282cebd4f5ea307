package dev.kestrel.app.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A stand-in for the Hugging Face Hub on this machine, started by the tests: it lists one model
 * folder through the tree API (sizes; SHA-256 for .onnx files as LFS, git blob ids for the rest) and
 * serves its files with Range support. Faults on demand: a connection dropped part way through a
 * file, a file served with wrong bytes. It records every request's path and Range header.
 */
public final class FakeHub implements AutoCloseable {

    public static final String REPO = "kestrel-tests/tiny-qwen3";

    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** File path → bytes after which the next answer for it is cut off (once). */
    public final Map<String, Integer> dropAfter = new ConcurrentHashMap<>();
    /** Files served with their first byte changed. */
    public final java.util.Set<String> corrupt = ConcurrentHashMap.newKeySet();
    /** Bytes a second at most for file answers (0: as fast as it can), to give a test time to stop a download. */
    public volatile int bytesPerSecond;
    /** Entries per page of the file list (0: one page), each page linking the next as the Hub does. */
    public volatile int pageSize;
    /** The repository ids it answers for: {@link #REPO}, and others added to serve the same folder. */
    public final java.util.Set<String> repos = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final HttpServer server;

    public FakeHub(Path folder) throws IOException {
        this.folder = folder;
        repos.add(REPO);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.createContext("/", this::answer);
        server.start();
    }

    /** A model library in {@code paths} that pulls from this hub: four files at a time, as Kestrel does. */
    public ModelLibrary library(dev.kestrel.app.AppPaths paths) {
        return library(paths, dev.kestrel.inference.EngineOptions.CPU_PREFERENCE);
    }

    /** A library on this hub that fetches the first of {@code preference} a repository has. */
    public ModelLibrary library(dev.kestrel.app.AppPaths paths, java.util.List<dev.kestrel.inference.model.Variant> preference) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        return new ModelLibrary(paths, new HuggingFace(client, endpoint(), java.util.Optional.empty()),
                new Downloader(client, 4, java.util.Optional.empty()), () -> preference);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        requests.add(path + (range == null ? "" : " " + range));
        try (exchange) {
            String repo = repos.stream().filter(r -> path.startsWith("/api/models/" + r + "/") || path.startsWith("/" + r + "/"))
                    .findFirst().orElse(REPO);
            if (path.equals("/api/models/" + repo + "/tree/main")) {
                String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
                int from = query.contains("cursor=") ? Integer.parseInt(query.replaceFirst(".*cursor=(\\d+).*", "$1")) : 0;
                ArrayNode all = tree();
                int to = pageSize == 0 ? all.size() : Math.min(all.size(), from + pageSize);
                ArrayNode page = new ObjectMapper().createArrayNode();
                for (int i = from; i < to; i++) {
                    page.add(all.get(i));
                }
                if (to < all.size()) {
                    exchange.getResponseHeaders().add("Link", "<" + path + "?recursive=true&cursor=" + to + ">; rel=\"next\"");
                }
                byte[] body = new ObjectMapper().writeValueAsBytes(page);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            String prefix = "/" + repo + "/resolve/main/";
            Path file = path.startsWith(prefix) ? folder.resolve(path.substring(prefix.length())) : null;
            if (file == null || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = path.substring(prefix.length());
            byte[] bytes = Files.readAllBytes(file);
            if (corrupt.contains(name)) {
                bytes[0] ^= 1;
            }
            int from = 0;
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                from = Integer.parseInt(range.substring(6, range.length() - 1));
                if (from >= bytes.length) {
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
                exchange.sendResponseHeaders(206, bytes.length - from);
            } else {
                exchange.sendResponseHeaders(200, bytes.length);
            }
            Integer cut = dropAfter.remove(name);
            int end = cut == null ? bytes.length : Math.min(bytes.length, from + cut);
            OutputStream out = exchange.getResponseBody();
            for (int at = from; at < end; at += 4096) {
                out.write(bytes, at, Math.min(4096, end - at));
                out.flush();
                if (bytesPerSecond > 0) {
                    sleep(4096L * 1000 / bytesPerSecond);
                }
            }
            // A cut answer ends here, short of the length it announced: the client sees the connection drop.
        }
    }

    private ArrayNode tree() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ArrayNode list = json.createArrayNode();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                String relative = folder.relativize(path).toString().replace('\\', '/');
                var entry = list.addObject().put("type", "file").put("path", relative).put("size", Files.size(path));
                if (relative.endsWith(".onnx")) {
                    entry.put("oid", "0".repeat(40)).putObject("lfs").put("oid", Checksum.sha256Of(path).hex()).put("size", Files.size(path));
                } else {
                    entry.put("oid", new Checksum(Checksum.Kind.GIT_BLOB_SHA1, "0".repeat(40)).of(path));
                }
            }
        }
        list.addObject().put("type", "directory").put("path", "onnx");
        return list;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
