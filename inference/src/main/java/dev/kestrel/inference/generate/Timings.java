package dev.kestrel.inference.generate;

/**
 * Where the time of one reply went, in milliseconds. {@code ttft} runs from the request to the first
 * generated token (prefill included); {@code decode} from the first token to the last, of which
 * {@code decodeInSession} was spent inside ONNX Runtime's session.run (the rest is Kestrel's own).
 */
public record Timings(double loadMs, double imageEncodeMs, double prefillMs, double ttftMs, double decodeMs, double decodeInSessionMs) {

    public Timings withImageEncodeMs(double ms) {
        return new Timings(loadMs, ms, prefillMs, ttftMs, decodeMs, decodeInSessionMs);
    }

    /** Decode time per unit of time inside ONNX Runtime: 1 means the engine itself costs nothing. */
    public double engineOverhead() {
        return decodeInSessionMs <= 0 ? 0 : decodeMs / decodeInSessionMs;
    }
}
