package dev.kestrel.inference.generate;

/** What a running generation reports, in order: prefill, then tokens and text as they come, then one {@link Finished}. */
public sealed interface GenerationEvent {

    /** The prompt has been read; generation starts. */
    record PrefillDone(int promptTokens, double prefillMs) implements GenerationEvent {}

    /** One generated id, stop tokens included. */
    record Token(int id) implements GenerationEvent {}

    /**
     * Answer text as it becomes complete: never half a character, never the text of a stop token.
     * Concatenated, the deltas are the result's text.
     */
    record Text(String delta) implements GenerationEvent {}

    record Finished(GenerationResult result) implements GenerationEvent {}
}
