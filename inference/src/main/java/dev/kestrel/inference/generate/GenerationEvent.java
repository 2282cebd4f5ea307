package dev.kestrel.inference.generate;

/**
 * What a running generation reports, in order: the prompt read, then tokens and text as they come
 * (thinking and answer apart), then one {@link Finished}.
 */
public sealed interface GenerationEvent {

    /** The prompt has been read; generation starts. */
    record PrefillDone(int promptTokens, double prefillMs) implements GenerationEvent {}

    /** One generated id, stop tokens, think markers and forced tokens included. */
    record Token(int id) implements GenerationEvent {}

    /** The model began a thinking block. */
    record ThinkingStarted() implements GenerationEvent {}

    /** Thinking text as it becomes complete. */
    record Thinking(String delta) implements GenerationEvent {}

    /**
     * The thinking block ended after {@code tokens} tokens; {@code forced} when the budget ran out and
     * Kestrel wrote the end of it.
     */
    record ThinkingEnded(int tokens, boolean forced) implements GenerationEvent {}

    /**
     * Answer text as it becomes complete: never half a character, never a stop token's text, never a
     * piece of a stop string. Concatenated, the deltas are the result's text.
     */
    record Text(String delta) implements GenerationEvent {}

    record Finished(GenerationResult result) implements GenerationEvent {}
}
