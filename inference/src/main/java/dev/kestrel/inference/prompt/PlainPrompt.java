package dev.kestrel.inference.prompt;

import dev.kestrel.inference.InvalidRequestException;
import java.util.List;

/**
 * The prompt of a model that has no chat template: a plain text continuer is given the text of the
 * last user message, nothing added, as a completion API would.
 */
public final class PlainPrompt {

    private PlainPrompt() {}

    public static String render(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return messages.get(i).content();
            }
        }
        throw new InvalidRequestException("the conversation has no user message to answer");
    }
}
