package dev.kestrel.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a migration script into statements at semicolons outside quotes and comments, keeping a
 * trigger's BEGIN ... END body in one statement.
 */
final class SqlScript {

    private SqlScript() {}

    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '-' && script.startsWith("--", i)) {
                int end = script.indexOf('\n', i);
                i = end < 0 ? script.length() : end + 1;
                current.append('\n');
                continue;
            }
            if (c == '/' && script.startsWith("/*", i)) {
                int end = script.indexOf("*/", i + 2);
                i = end < 0 ? script.length() : end + 2;
                current.append(' ');
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < script.length()) {
                    if (script.charAt(end) == c) {
                        if (end + 1 < script.length() && script.charAt(end + 1) == c) {
                            end += 2; // doubled quote inside a literal
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                current.append(script, i, Math.min(end + 1, script.length()));
                i = end + 1;
                continue;
            }
            current.append(c);
            i++;
            if (c == ';' && !insideTriggerBody(current)) {
                String statement = current.toString().trim();
                if (statement.length() > 1) {
                    statements.add(statement.substring(0, statement.length() - 1).trim());
                }
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().trim());
        }
        return statements;
    }

    /** A CREATE TRIGGER statement is complete only after the END that closes its body. */
    private static boolean insideTriggerBody(CharSequence statement) {
        String text = statement.toString().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        if (!text.matches("CREATE (TEMP |TEMPORARY )?TRIGGER .*")) {
            return false;
        }
        return !text.matches("(?s).*\\bEND ?;$");
    }
}
