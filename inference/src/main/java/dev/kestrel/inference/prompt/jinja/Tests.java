package dev.kestrel.inference.prompt.jinja;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** jinja2's tests, as in {@code x is defined} or {@code n is divisibleby 3}. */
final class Tests {

    private static final Set<String> NAMES = Set.of(
            "defined", "undefined", "none", "boolean", "true", "false", "integer", "float", "number", "string", "mapping",
            "iterable", "sequence", "callable", "odd", "even", "divisibleby", "eq", "equalto", "==", "ne", "!=", "gt",
            "greaterthan", ">", "ge", ">=", "lt", "lessthan", "<", "le", "<=", "in", "sameas", "lower", "upper", "escaped",
            "filter", "test");

    private Tests() {}

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static boolean apply(String name, Object value, List<Object> args) {
        return switch (name) {
            case "defined" -> !(value instanceof Undefined);
            case "undefined" -> value instanceof Undefined;
            case "none" -> value == null;
            case "boolean" -> value instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(value);
            case "false" -> Boolean.FALSE.equals(value);
            case "integer" -> value instanceof Long;
            case "float" -> value instanceof Double;
            case "number" -> Py.isNumber(value);
            case "string" -> value instanceof String;
            case "mapping" -> value instanceof Map;
            case "iterable" -> value instanceof String || value instanceof List || value instanceof Map || value instanceof Undefined;
            case "sequence" -> value instanceof String || value instanceof List || value instanceof Map;
            case "callable" -> value instanceof JinjaCallable;
            case "odd" -> Py.toLong(number(value)) % 2 != 0;
            case "even" -> Py.toLong(number(value)) % 2 == 0;
            case "divisibleby" -> Py.toLong(number(value)) % Py.toLong(number(argument(args, name))) == 0;
            case "eq", "equalto", "==" -> Py.eq(value, argument(args, name));
            case "ne", "!=" -> !Py.eq(value, argument(args, name));
            case "gt", "greaterthan", ">" -> Py.compare(value, argument(args, name), ">") > 0;
            case "ge", ">=" -> Py.compare(value, argument(args, name), ">=") >= 0;
            case "lt", "lessthan", "<" -> Py.compare(value, argument(args, name), "<") < 0;
            case "le", "<=" -> Py.compare(value, argument(args, name), "<=") <= 0;
            case "in" -> Py.contains(argument(args, name), value);
            case "sameas" -> value == argument(args, name) || (value == null && argument(args, name) == null)
                    || (value instanceof Boolean && value.equals(argument(args, name)));
            case "lower" -> value instanceof String s && s.equals(s.toLowerCase(java.util.Locale.ROOT));
            case "upper" -> value instanceof String s && s.equals(s.toUpperCase(java.util.Locale.ROOT));
            case "escaped" -> false;
            case "filter" -> value instanceof String s && Filters.exists(s);
            case "test" -> value instanceof String s && exists(s);
            default -> throw TemplateException.render("no test named '" + name + "'");
        };
    }

    private static Object argument(List<Object> args, String test) {
        if (args.isEmpty()) {
            throw TemplateException.render("test '" + test + "' needs an argument");
        }
        return args.getFirst();
    }

    private static Object number(Object value) {
        if (value instanceof Undefined u) {
            throw u.error();
        }
        if (!Py.isNumber(value)) {
            throw TemplateException.render("expected a number, got " + Py.typeName(value));
        }
        return value;
    }
}
