package dev.kestrel.inference.generate;

/**
 * Where the time of one reply went, in milliseconds. {@code ttft} runs from the request to the first
 * generated token (prefill included); {@code decode} from the first token to the last.
 */
public record Timings(double loadMs, double imageEncodeMs, double prefillMs, double ttftMs, double decodeMs) {

    public Timings withLoad(double ms) {
        return new Timings(ms, imageEncodeMs, prefillMs, ttftMs, decodeMs);
    }
}
