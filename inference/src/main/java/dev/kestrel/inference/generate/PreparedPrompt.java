package dev.kestrel.inference.generate;

/**
 * A conversation turned into the ids fed to the model.
 *
 * @param text             the rendered prompt (the chat template's output)
 * @param startsInThinking the prompt ends inside a thinking block the template opened
 * @param droppedMessages  the oldest messages left out so that the prompt fits the context
 */
public record PreparedPrompt(int[] ids, String text, boolean startsInThinking, int droppedMessages) {

    public PreparedPrompt {
        ids = ids.clone();
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }
}
