package dev.kestrel.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.app.AppException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/** Reading JSON Lines (one JSON value per line, UTF-8) and writing compact JSON. */
final class JsonLines {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {}

    /** Calls {@code each} with every non-empty line's value and its 1-based line number. */
    static void read(InputStream in, String source, BiConsumer<JsonNode, Integer> each) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                each.accept(parse(line, source, number), number);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    static JsonNode parse(String line, String source, int number) {
        try {
            return MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AppException(source + " line " + number + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** A figure for a JSON report: two decimals are all a timing or a rate needs. */
    static double hundredths(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
