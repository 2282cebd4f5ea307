package dev.kestrel.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The app's settings as text by key; what a key means is the app's business. */
public final class SettingsRepository {

    private final Database db;

    SettingsRepository(Database db) {
        this.db = db;
    }

    public Optional<String> get(String key) {
        return db.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
                query.setString(1, key);
                ResultSet rows = query.executeQuery();
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        });
    }

    public void put(String key, String value) {
        db.transaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                upsert.setString(1, key);
                upsert.setString(2, value);
                return upsert.executeUpdate();
            }
        });
    }

    public void remove(String key) {
        db.transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM settings WHERE key = ?")) {
                delete.setString(1, key);
                return delete.executeUpdate();
            }
        });
    }
}
