package dev.kestrel.inference.prompt;

/** Who wrote a message of a conversation. */
public enum Role {
    SYSTEM, USER, ASSISTANT;

    /** The lower-case name chat templates and JSON use. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role fromLabel(String label) {
        return valueOf(label.toUpperCase(java.util.Locale.ROOT));
    }
}
