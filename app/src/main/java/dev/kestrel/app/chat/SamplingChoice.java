package dev.kestrel.app.chat;

import dev.kestrel.app.AppException;
import dev.kestrel.inference.generate.Sampling;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * How replies choose their tokens, as the user set it: each value the user left empty comes from the
 * model's generation_config.json. A temperature of 0 is greedy: the same question gets the same reply.
 * Without a seed each reply draws a new one; with it, the same question and settings get the same
 * reply when sampling too.
 */
public record SamplingChoice(OptionalDouble temperature, OptionalDouble topP, OptionalInt topK, OptionalDouble minP,
        OptionalDouble repetitionPenalty, OptionalLong seed) {

    public static final SamplingChoice MODEL_DEFAULT = new SamplingChoice(OptionalDouble.empty(), OptionalDouble.empty(),
            OptionalInt.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalLong.empty());

    /** Always the most likely token. */
    public static final SamplingChoice GREEDY = new SamplingChoice(OptionalDouble.of(0), OptionalDouble.empty(), OptionalInt.empty(),
            OptionalDouble.empty(), OptionalDouble.empty(), OptionalLong.empty());

    static final String PREFIX = "chat.sampling.";

    /** Every value of a sampler, as a choice (to show the model's own values beside the user's). */
    static SamplingChoice of(Sampling sampling) {
        return new SamplingChoice(OptionalDouble.of(sampling.temperature()), OptionalDouble.of(sampling.topP()),
                OptionalInt.of(sampling.topK()), OptionalDouble.of(sampling.minP()), OptionalDouble.of(sampling.repetitionPenalty()),
                OptionalLong.empty());
    }

    /** Refuses values the sampler would: a negative temperature, top-p outside (0, 1], and so on. */
    public SamplingChoice {
        try {
            apply(Sampling.GREEDY, temperature, topP, topK, minP, repetitionPenalty);
        } catch (IllegalArgumentException e) {
            throw new AppException(e.getMessage());
        }
    }

    public boolean greedy() {
        return temperature.isPresent() && temperature.getAsDouble() == 0;
    }

    /** The model's sampling with the user's values in place of its own, and the user's seed, if any, in place of {@code model}'s. */
    Sampling applyTo(Sampling model) {
        Sampling applied = apply(model, temperature, topP, topK, minP, repetitionPenalty);
        return seed.isPresent() ? new Sampling(applied.temperature(), applied.topK(), applied.topP(), applied.minP(),
                applied.repetitionPenalty(), seed.getAsLong()) : applied;
    }

    private static Sampling apply(Sampling base, OptionalDouble temperature, OptionalDouble topP, OptionalInt topK, OptionalDouble minP,
            OptionalDouble repetitionPenalty) {
        // A greedy model default still needs sampling values once the user raises the temperature.
        boolean fromGreedy = base.greedy() && temperature.isPresent() && temperature.getAsDouble() > 0;
        return new Sampling(temperature.orElse(base.temperature()), topK.orElse(fromGreedy ? 0 : base.topK()),
                topP.orElse(base.topP()), minP.orElse(base.minP()), repetitionPenalty.orElse(base.repetitionPenalty()), base.seed());
    }

    /** As kept in the settings table, one key a value; a value left empty is no key. */
    void store(java.util.function.BiConsumer<String, Optional<String>> put) {
        put.accept(PREFIX + "temperature", text(temperature));
        put.accept(PREFIX + "top-p", text(topP));
        put.accept(PREFIX + "top-k", topK.isPresent() ? Optional.of(Integer.toString(topK.getAsInt())) : Optional.empty());
        put.accept(PREFIX + "min-p", text(minP));
        put.accept(PREFIX + "repetition-penalty", text(repetitionPenalty));
        put.accept(PREFIX + "seed", seed.isPresent() ? Optional.of(Long.toString(seed.getAsLong())) : Optional.empty());
    }

    static SamplingChoice read(Function<String, Optional<String>> get) {
        try {
            return new SamplingChoice(number(get.apply(PREFIX + "temperature")), number(get.apply(PREFIX + "top-p")),
                    get.apply(PREFIX + "top-k").map(v -> OptionalInt.of(Integer.parseInt(v))).orElse(OptionalInt.empty()),
                    number(get.apply(PREFIX + "min-p")), number(get.apply(PREFIX + "repetition-penalty")),
                    get.apply(PREFIX + "seed").map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty()));
        } catch (RuntimeException damaged) {
            return MODEL_DEFAULT; // a value edited by hand into nonsense: the model's own settings
        }
    }

    private static Optional<String> text(OptionalDouble value) {
        return value.isPresent() ? Optional.of(String.format(Locale.ROOT, "%s", value.getAsDouble())) : Optional.empty();
    }

    private static OptionalDouble number(Optional<String> text) {
        return text.map(v -> OptionalDouble.of(Double.parseDouble(v))).orElse(OptionalDouble.empty());
    }
}
