package dev.kestrel.ui.settings;

import dev.kestrel.app.chat.SamplingChoice;
import java.util.Optional;

/**
 * What the settings dialog edits: the open conversation's system prompt (empty when no conversation
 * is open yet), the one new conversations start with, and how replies choose their tokens; {@code
 * modelSampling} is the model's own choice, shown beside the fields the user left empty.
 */
public record ChatSettings(Optional<String> conversationPrompt, String newConversationPrompt, SamplingChoice sampling,
        SamplingChoice modelSampling) {}
