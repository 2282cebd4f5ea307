package dev.kestrel.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command the installer tests ran: its exit status and what it wrote. */
record Run(int status, String out, String err) {
    static Run of(Map<String, String> env, Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("run", ".out");
        Path err = Files.createTempFile("run", ".err");
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
        }
        try {
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
