package dev.kestrel.inference.generate;

/**
 * transformers' RepetitionPenaltyLogitsProcessor: every id already in the prompt or the reply has
 * its logit divided by the penalty when positive and multiplied by it when negative.
 */
final class RepetitionPenalty implements LogitsProcessor {

    private final float penalty;

    RepetitionPenalty(double penalty) {
        this.penalty = (float) penalty;
    }

    @Override
    public void process(float[] logits, TokenHistory history) {
        for (int id = 0; id < logits.length; id++) {
            if (history.seen(id)) {
                logits[id] = logits[id] > 0 ? logits[id] / penalty : logits[id] * penalty;
            }
        }
    }
}
