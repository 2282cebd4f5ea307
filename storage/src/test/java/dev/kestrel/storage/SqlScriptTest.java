package dev.kestrel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsAtSemicolonsOutsideQuotesAndComments() {
        String script = """
                -- a comment; with a semicolon
                CREATE TABLE a (x TEXT DEFAULT 'semi;colon');
                /* block; comment */ INSERT INTO a VALUES ('it''s; fine');
                INSERT INTO a VALUES ("quoted;name")
                """;
        assertThat(SqlScript.statements(script)).containsExactly(
                "CREATE TABLE a (x TEXT DEFAULT 'semi;colon')",
                "INSERT INTO a VALUES ('it''s; fine')",
                "INSERT INTO a VALUES (\"quoted;name\")");
    }

    @Test
    void keepsATriggerBodyWhole() {
        String script = """
                CREATE TRIGGER t AFTER INSERT ON a
                BEGIN
                    INSERT INTO b VALUES (1);
                    INSERT INTO b VALUES (2);
                END;
                CREATE INDEX i ON a (x);
                """;
        assertThat(SqlScript.statements(script)).hasSize(2);
        assertThat(SqlScript.statements(script).getFirst()).startsWith("CREATE TRIGGER").endsWith("END");
    }
}
