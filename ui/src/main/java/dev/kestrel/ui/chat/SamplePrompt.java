package dev.kestrel.ui.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * A suggestion shown in an empty conversation, so that a new user learns what the model can do:
 * the button's words, and the question it puts in the composer.
 */
public record SamplePrompt(String label, String prompt) {

    /** Suggestions for a model that can see and/or think; every model can be greeted. */
    static List<SamplePrompt> forModel(boolean canSee, boolean canThink) {
        List<SamplePrompt> samples = new ArrayList<>();
        samples.add(new SamplePrompt("Who are you?", "Who are you?"));
        if (canThink) {
            samples.add(new SamplePrompt("Add two numbers, thinking", "What is 348 + 275?"));
        }
        if (canSee) {
            samples.add(new SamplePrompt("Drop a picture of shapes, then ask", "How many shapes are there?"));
            samples.add(new SamplePrompt("Drop a picture of a word, then ask", "What does the text say?"));
        }
        return List.copyOf(samples);
    }
}
