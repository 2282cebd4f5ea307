package dev.kestrel.ui.settings;

import dev.kestrel.app.chat.SamplingChoice;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the settings dialog edits: the open conversation's system prompt (empty when no conversation
 * is open yet), the one new conversations start with, and how replies choose their tokens ({@code
 * modelSampling} is the model's own choice, shown beside the fields the user left empty); what the
 * model runs on ({@code device}: auto, cpu, gpu or npu) and its CPU threads (empty: one per core, of
 * {@code cores}); and the data folder, unless {@code dataFolderFixedBy} says what decides it instead.
 */
public record ChatSettings(Optional<String> conversationPrompt, String newConversationPrompt, SamplingChoice sampling,
        SamplingChoice modelSampling, String device, OptionalInt threads, int cores, Path dataFolder, Optional<String> dataFolderFixedBy) {}
