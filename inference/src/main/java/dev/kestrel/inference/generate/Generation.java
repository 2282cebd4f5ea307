package dev.kestrel.inference.generate;

import dev.kestrel.inference.tokenizer.TokenStream;
import dev.kestrel.inference.tokenizer.Tokenizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One reply being written: the per-request state next to an immutable model. Routes text to the
 * thinking or the answer channel, counts thinking tokens against the budget and, when it is spent,
 * forces the end of the thinking block token by token through the model. The budget covers the
 * whole reply: a thinking block opened after it is spent is closed at once.
 */
final class Generation {

    private final GenerationRequest request;
    private final Tokenizer tokenizer;
    private final Optional<ThinkingTokens> thinkingTokens;
    private final Set<Integer> stopIds;
    private final Consumer<? super GenerationEvent> listener;
    private final Sampler sampler;
    private final List<LogitsProcessor> processors = new ArrayList<>();
    private final TokenHistory history;
    private final StopStrings stopStrings;

    private final List<Integer> tokens = new ArrayList<>();
    private final StringBuilder answer = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private final Deque<Integer> forced = new ArrayDeque<>();
    private final StringBuilder thinkingWhitespace = new StringBuilder();
    private TokenStream stream;
    private boolean inThinking;
    private boolean trimLeading;
    private int thinkingCount;
    private int thinkingTotal;
    private boolean budgetSpent;
    private boolean blockForced;

    Generation(GenerationRequest request, Tokenizer tokenizer, Optional<ThinkingTokens> thinkingTokens, Set<Integer> stopIds,
            int vocabSize, Consumer<? super GenerationEvent> listener) {
        this.request = request;
        this.tokenizer = tokenizer;
        this.thinkingTokens = thinkingTokens;
        this.stopIds = stopIds;
        this.listener = listener;
        this.sampler = new Sampler(request.sampling());
        this.history = new TokenHistory(request.promptIds(), vocabSize);
        this.stopStrings = new StopStrings(request.stopStrings());
        this.stream = new TokenStream(tokenizer);
        if (request.sampling().repetitionPenalty() != 1) {
            processors.add(new RepetitionPenalty(request.sampling().repetitionPenalty()));
        }
        this.inThinking = thinkingTokens.isPresent() && request.startsInThinking();
        this.trimLeading = inThinking;
    }

    /** Called once the prompt is read: announces a thinking block the template opened. */
    void start() {
        if (inThinking) {
            listener.accept(new GenerationEvent.ThinkingStarted());
            checkBudget();
        }
    }

    /** The next id: a forced one while the end of thinking is being written, else the sampler's choice. */
    int choose(float[] logits) {
        if (!forced.isEmpty()) {
            return forced.poll();
        }
        for (LogitsProcessor processor : processors) {
            processor.process(logits, history);
        }
        return sampler.next(logits);
    }

    /** Takes one generated id; returns why generation ends now, or null to go on. */
    FinishReason accept(int id, int limit) {
        tokens.add(id);
        history.add(id);
        listener.accept(new GenerationEvent.Token(id));
        if (stopIds.contains(id) && !request.ignoreStopTokens()) {
            return FinishReason.STOP;
        }
        ThinkingTokens markers = thinkingTokens.orElse(null);
        if (markers != null && id == markers.start() && !inThinking) {
            flushChannel();
            inThinking = true;
            trimLeading = true;
            thinkingCount = 0;
            blockForced = false;
            listener.accept(new GenerationEvent.ThinkingStarted());
            if (budgetSpent) {
                force(false);
            } else {
                checkBudget();
            }
        } else if (markers != null && id == markers.end() && inThinking) {
            flushChannel();
            inThinking = false;
            trimLeading = true;
            listener.accept(new GenerationEvent.ThinkingEnded(thinkingCount, blockForced));
        } else {
            if (inThinking) {
                thinkingCount++;
                thinkingTotal++;
            }
            // Special tokens (role markers and the like) are structure, not text, as with skip_special_tokens=True.
            if (!tokenizer.isSpecial(id)) {
                emit(stream.push(id));
            }
            if (inThinking) {
                checkBudget();
            }
        }
        if (stopStrings.stopped()) {
            return FinishReason.STOP;
        }
        return tokens.size() >= limit ? FinishReason.LENGTH : null;
    }

    /** At the budget, once no character is half written, queue the end of the thinking block. */
    private void checkBudget() {
        ThinkingBudget budget = request.thinking();
        if (!budgetSpent && !budget.isUnlimited() && thinkingTotal >= budget.tokens() && !stream.pending()) {
            budgetSpent = true;
            force(!budget.isOff());
        }
    }

    /** Queues the end of the current thinking block: the early-stop text if asked, the end marker, a blank line. */
    private void force(boolean withEarlyStopText) {
        blockForced = true;
        for (int id : thinkingTokens.orElseThrow().forcedEnd(withEarlyStopText)) {
            forced.add(id);
        }
    }

    private void emit(String delta) {
        if (delta.isEmpty()) {
            return;
        }
        String text = delta;
        if (trimLeading) {
            // Right after a think marker the model writes newlines; they belong to neither text.
            text = stripLeading(text);
            if (text.isEmpty()) {
                return;
            }
            trimLeading = false;
        }
        if (inThinking) {
            // Whitespace at the end of a thought is held until more thought follows; the block's end drops it.
            String held = thinkingWhitespace + text;
            int end = held.length();
            while (end > 0 && Character.isWhitespace(held.charAt(end - 1))) {
                end--;
            }
            thinkingWhitespace.setLength(0);
            thinkingWhitespace.append(held, end, held.length());
            if (end > 0) {
                thinking.append(held, 0, end);
                listener.accept(new GenerationEvent.Thinking(held.substring(0, end)));
            }
        } else {
            String shown = stopStrings.accept(text);
            if (!shown.isEmpty()) {
                answer.append(shown);
                listener.accept(new GenerationEvent.Text(shown));
            }
        }
    }

    private void flushChannel() {
        emit(stream.flush());
        stream = new TokenStream(tokenizer);
        thinkingWhitespace.setLength(0);
    }

    /** Ends the reply: releases held text, and builds the result. */
    GenerationResult finish(FinishReason reason, int promptTokens, int imageTokens, Timings timings, String device) {
        if (reason != FinishReason.STOP || !stopStrings.stopped()) {
            emit(stream.flush());
        }
        if (!stopStrings.stopped()) {
            String rest = stopStrings.release();
            if (!rest.isEmpty()) {
                answer.append(rest);
                listener.accept(new GenerationEvent.Text(rest));
            }
        }
        if (inThinking) {
            listener.accept(new GenerationEvent.ThinkingEnded(thinkingCount, blockForced));
        }
        Usage usage = new Usage(promptTokens, imageTokens, thinkingTotal, tokens.size());
        GenerationResult result = new GenerationResult(answer.toString(), thinking.toString(), tokens, reason, usage,
                timings, device);
        listener.accept(new GenerationEvent.Finished(result));
        return result;
    }

    int generated() {
        return tokens.size();
    }

    private static String stripLeading(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return text.substring(i);
    }
}
