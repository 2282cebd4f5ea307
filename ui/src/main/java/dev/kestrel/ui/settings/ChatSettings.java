package dev.kestrel.ui.settings;

import java.util.Optional;

/**
 * What the settings dialog edits: the open conversation's system prompt (empty when no conversation
 * is open yet), the one new conversations start with, and whether replies always take the most
 * likely token instead of sampling as the model's own settings say.
 */
public record ChatSettings(Optional<String> conversationPrompt, String newConversationPrompt, boolean greedy) {}
