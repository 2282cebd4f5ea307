package dev.kestrel.inference.generate;

import dev.kestrel.inference.vision.ImageFeatures;

/**
 * A conversation turned into the ids fed to the model.
 *
 * @param text             the rendered prompt (the chat template's output)
 * @param startsInThinking the prompt ends inside a thinking block the template opened
 * @param droppedMessages  the oldest messages left out so that the prompt fits the context
 * @param images           the features of the images left in the prompt, in the order of their tokens
 */
public record PreparedPrompt(int[] ids, String text, boolean startsInThinking, int droppedMessages, ImageFeatures images) {

    public PreparedPrompt {
        ids = ids.clone();
    }

    /** A prompt of text only. */
    public PreparedPrompt(int[] ids, String text, boolean startsInThinking, int droppedMessages) {
        this(ids, text, startsInThinking, droppedMessages, ImageFeatures.NONE);
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }
}
