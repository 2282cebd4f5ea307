package dev.kestrel.storage;

import java.util.Locale;

/** The life of a stored message: replies are streaming until they end one of the other ways. */
public enum MessageStatus {
    STREAMING, COMPLETE, CANCELLED, INTERRUPTED, FAILED;

    String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MessageStatus fromSql(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
