package dev.kestrel.storage;

import java.util.Locale;

/** Who wrote a stored message. */
public enum Role {
    SYSTEM, USER, ASSISTANT;

    String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role fromSql(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
