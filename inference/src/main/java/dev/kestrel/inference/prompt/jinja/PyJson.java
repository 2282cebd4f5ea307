package dev.kestrel.inference.prompt.jinja;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(x, ensure_ascii=..., indent=..., separators=..., sort_keys=...)}, the
 * {@code tojson} filter Hugging Face installs for chat templates.
 */
final class PyJson {

    private PyJson() {}

    static String dumps(Object value, boolean ensureAscii, Object indent, Object separators, boolean sortKeys) {
        String indentText = switch (indent) {
            case null -> null;
            case String s -> s;
            case Long n -> " ".repeat((int) Math.max(0, n));
            case Boolean b -> " ".repeat(b ? 1 : 0);
            default -> throw TemplateException.render("indent must be an int or a string");
        };
        String itemSeparator = indentText == null ? ", " : ",";
        String keySeparator = ": ";
        if (separators instanceof List<?> pair && pair.size() == 2) {
            itemSeparator = Py.str(pair.get(0));
            keySeparator = Py.str(pair.get(1));
        }
        StringBuilder out = new StringBuilder();
        write(out, value, new Style(ensureAscii, indentText, itemSeparator, keySeparator, sortKeys), 0);
        return out.toString();
    }

    private record Style(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {}

    private static void write(StringBuilder out, Object value, Style style, int level) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b ? "true" : "false");
            case Long l -> out.append(l);
            case Double d -> out.append(d.isNaN() ? "NaN" : d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity") : Py.floatRepr(d));
            case String s -> string(out, s, style.ensureAscii());
            case List<?> list -> {
                if (list.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(style.itemSeparator());
                    }
                    newline(out, style, level + 1);
                    write(out, list.get(i), style, level + 1);
                }
                newline(out, style, level);
                out.append(']');
            }
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    out.append("{}");
                    return;
                }
                List<? extends Map.Entry<?, ?>> entries = List.copyOf(map.entrySet());
                if (style.sortKeys()) {
                    entries = entries.stream().sorted(Comparator.comparing(e -> key(e.getKey()), Py::compareCodePoints)).toList();
                }
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : entries) {
                    if (!first) {
                        out.append(style.itemSeparator());
                    }
                    first = false;
                    newline(out, style, level + 1);
                    string(out, key(entry.getKey()), style.ensureAscii());
                    out.append(style.keySeparator());
                    write(out, entry.getValue(), style, level + 1);
                }
                newline(out, style, level);
                out.append('}');
            }
            default -> throw TemplateException.render("Object of type " + Py.typeName(value) + " is not JSON serializable");
        }
    }

    private static String key(Object key) {
        return switch (key) {
            case String s -> s;
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Long l -> l.toString();
            case Double d -> Py.floatRepr(d);
            default -> throw TemplateException.render("keys must be str, int, float, bool or None, not " + Py.typeName(key));
        };
    }

    private static void newline(StringBuilder out, Style style, int level) {
        if (style.indent() != null) {
            out.append('\n').append(style.indent().repeat(level));
        }
    }

    private static void string(StringBuilder out, String s, boolean ensureAscii) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
