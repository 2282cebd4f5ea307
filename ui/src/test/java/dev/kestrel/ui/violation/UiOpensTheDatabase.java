package dev.kestrel.ui.violation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A planted violation for DependencyRulesTest: JDBC outside the storage module. */
public final class UiOpensTheDatabase {

    private UiOpensTheDatabase() {}

    public static Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite::memory:");
    }
}
