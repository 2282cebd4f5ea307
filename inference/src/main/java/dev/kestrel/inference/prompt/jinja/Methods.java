package dev.kestrel.inference.prompt.jinja;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Python methods a template may call on strings, dicts and lists. Methods that would change a
 * dict or list are refused, as in jinja2's ImmutableSandboxedEnvironment.
 */
final class Methods {

    private static final Set<String> UNSAFE = Set.of(
            "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update", "setdefault", "popitem",
            "add", "discard", "__setitem__", "__delitem__");

    private Methods() {}

    /** The bound method {@code obj.name}, or null when {@code obj} has no such method. */
    static JinjaCallable bind(Object obj, String name) {
        if (obj instanceof String s) {
            return stringMethod(s, name);
        }
        if (obj instanceof Map<?, ?> map) {
            return dictMethod(map, name);
        }
        if (obj instanceof List<?> list) {
            return listMethod(list, name);
        }
        return null;
    }

    private static JinjaCallable unsafe(String type, String name) {
        return (args, kwargs) -> {
            throw TemplateException.render("access to attribute '" + name + "' of '" + type + "' object is unsafe.");
        };
    }

    private static JinjaCallable dictMethod(Map<?, ?> map, String name) {
        if (UNSAFE.contains(name)) {
            return unsafe("dict", name);
        }
        return switch (name) {
            case "items" -> (args, kwargs) -> {
                List<Object> items = new ArrayList<>();
                map.forEach((k, v) -> items.add(pair(k, v)));
                return Collections.unmodifiableList(items);
            };
            case "keys" -> (args, kwargs) -> List.copyOf(map.keySet());
            case "values" -> (args, kwargs) -> Collections.unmodifiableList(new ArrayList<>(map.values()));
            case "get" -> (args, kwargs) -> {
                Object key = arg(args, kwargs, 0, "key", null);
                Object found = Py.getitem(map, key);
                if (found instanceof Undefined) {
                    return arg(args, kwargs, 1, "default", null);
                }
                return found;
            };
            case "copy" -> (args, kwargs) -> new java.util.LinkedHashMap<>(map);
            default -> null;
        };
    }

    static List<Object> pair(Object a, Object b) {
        return PyTuple.of(a, b);
    }

    private static JinjaCallable listMethod(List<?> list, String name) {
        if (UNSAFE.contains(name)) {
            return unsafe("list", name);
        }
        return switch (name) {
            case "index" -> (args, kwargs) -> {
                Object needle = arg(args, kwargs, 0, "value", null);
                for (int i = 0; i < list.size(); i++) {
                    if (Py.eq(list.get(i), needle)) {
                        return (long) i;
                    }
                }
                throw TemplateException.render(Py.repr(needle) + " is not in list");
            };
            case "count" -> (args, kwargs) -> {
                Object needle = arg(args, kwargs, 0, "value", null);
                return list.stream().filter(x -> Py.eq(x, needle)).count();
            };
            case "copy" -> (args, kwargs) -> List.copyOf(list);
            default -> null;
        };
    }

    private static JinjaCallable stringMethod(String s, String name) {
        return switch (name) {
            case "startswith" -> (args, kwargs) -> affix(s, args.isEmpty() ? null : args.getFirst(), true);
            case "endswith" -> (args, kwargs) -> affix(s, args.isEmpty() ? null : args.getFirst(), false);
            case "strip" -> (args, kwargs) -> strip(s, chars(args, kwargs), true, true);
            case "lstrip" -> (args, kwargs) -> strip(s, chars(args, kwargs), true, false);
            case "rstrip" -> (args, kwargs) -> strip(s, chars(args, kwargs), false, true);
            case "split" -> (args, kwargs) -> split(s, separator(args, kwargs), maxsplit(args, kwargs));
            case "rsplit" -> (args, kwargs) -> rsplit(s, separator(args, kwargs), maxsplit(args, kwargs));
            case "splitlines" -> (args, kwargs) -> splitlines(s, Py.truthy(arg(args, kwargs, 0, "keepends", false)));
            case "upper" -> (args, kwargs) -> s.toUpperCase(Locale.ROOT);
            case "lower" -> (args, kwargs) -> s.toLowerCase(Locale.ROOT);
            case "casefold" -> (args, kwargs) -> s.toLowerCase(Locale.ROOT);
            case "swapcase" -> (args, kwargs) -> swapcase(s);
            case "title" -> (args, kwargs) -> title(s);
            case "capitalize" -> (args, kwargs) -> capitalize(s);
            case "replace" -> (args, kwargs) -> replace(s, string(arg(args, kwargs, 0, "old", null)),
                    string(arg(args, kwargs, 1, "new", null)), Py.toLong(arg(args, kwargs, 2, "count", -1L)));
            case "find" -> (args, kwargs) -> find(s, string(arg(args, kwargs, 0, "sub", null)), false);
            case "rfind" -> (args, kwargs) -> find(s, string(arg(args, kwargs, 0, "sub", null)), true);
            case "index", "rindex" -> (args, kwargs) -> {
                long at = find(s, string(arg(args, kwargs, 0, "sub", null)), name.equals("rindex"));
                if (at < 0) {
                    throw TemplateException.render("substring not found");
                }
                return at;
            };
            case "count" -> (args, kwargs) -> count(s, string(arg(args, kwargs, 0, "sub", null)));
            case "join" -> (args, kwargs) -> {
                StringBuilder out = new StringBuilder();
                List<Object> items = Py.iterate(arg(args, kwargs, 0, "iterable", null));
                for (int i = 0; i < items.size(); i++) {
                    if (!(items.get(i) instanceof String item)) {
                        throw TemplateException.render("sequence item " + i + ": expected str instance, " + Py.typeName(items.get(i)) + " found");
                    }
                    if (i > 0) {
                        out.append(s);
                    }
                    out.append(item);
                }
                return out.toString();
            };
            case "format" -> (args, kwargs) -> format(s, args, kwargs);
            case "isdigit", "isdecimal", "isnumeric" -> (args, kwargs) -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> (args, kwargs) -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum" -> (args, kwargs) -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "isspace" -> (args, kwargs) -> !s.isEmpty() && s.codePoints().allMatch(Py::isSpace);
            case "isupper" -> (args, kwargs) -> s.codePoints().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT));
            case "islower" -> (args, kwargs) -> s.codePoints().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT));
            case "removeprefix" -> (args, kwargs) -> {
                String prefix = string(arg(args, kwargs, 0, "prefix", null));
                return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
            };
            case "removesuffix" -> (args, kwargs) -> {
                String suffix = string(arg(args, kwargs, 0, "suffix", null));
                return !suffix.isEmpty() && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
            };
            case "zfill" -> (args, kwargs) -> {
                int width = (int) Py.toLong(arg(args, kwargs, 0, "width", 0L));
                int length = Py.length(s);
                if (length >= width) {
                    return s;
                }
                boolean sign = s.startsWith("-") || s.startsWith("+");
                String zeros = "0".repeat(width - length);
                return sign ? s.charAt(0) + zeros + s.substring(1) : zeros + s;
            };
            case "center", "ljust", "rjust" -> (args, kwargs) -> {
                int width = (int) Py.toLong(arg(args, kwargs, 0, "width", 0L));
                String fill = string(arg(args, kwargs, 1, "fillchar", " "));
                int missing = width - Py.length(s);
                if (missing <= 0) {
                    return s;
                }
                return switch (name) {
                    case "ljust" -> s + fill.repeat(missing);
                    case "rjust" -> fill.repeat(missing) + s;
                    default -> {
                        int left = missing / 2 + (missing & width & 1);
                        yield fill.repeat(left) + s + fill.repeat(missing - left);
                    }
                };
            };
            case "partition", "rpartition" -> (args, kwargs) -> {
                String sep = string(arg(args, kwargs, 0, "sep", null));
                int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (at < 0) {
                    return name.equals("partition") ? PyTuple.of(s, "", "") : PyTuple.of("", "", s);
                }
                return PyTuple.of(s.substring(0, at), sep, s.substring(at + sep.length()));
            };
            case "encode", "format_map", "translate", "maketrans", "expandtabs" ->
                    (args, kwargs) -> {
                        throw TemplateException.render("str." + name + " is not available in chat templates");
                    };
            default -> null;
        };
    }

    // -- argument helpers ----------------------------------------------------------------------

    static Object arg(List<Object> args, Map<String, Object> kwargs, int index, String name, Object fallback) {
        if (index < args.size()) {
            return args.get(index);
        }
        return kwargs.containsKey(name) ? kwargs.get(name) : fallback;
    }

    private static String string(Object v) {
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (!(v instanceof String s)) {
            throw TemplateException.render("expected a string, got " + Py.typeName(v));
        }
        return s;
    }

    private static String chars(List<Object> args, Map<String, Object> kwargs) {
        Object chars = arg(args, kwargs, 0, "chars", null);
        return chars == null ? null : string(chars);
    }

    private static String separator(List<Object> args, Map<String, Object> kwargs) {
        Object sep = arg(args, kwargs, 0, "sep", null);
        if (sep == null) {
            return null;
        }
        String value = string(sep);
        if (value.isEmpty()) {
            throw TemplateException.render("empty separator");
        }
        return value;
    }

    private static long maxsplit(List<Object> args, Map<String, Object> kwargs) {
        return Py.toLong(arg(args, kwargs, 1, "maxsplit", -1L));
    }

    // -- string operations with Python semantics -----------------------------------------------

    private static boolean affix(String s, Object affix, boolean prefix) {
        if (affix instanceof List<?> options) {
            return options.stream().anyMatch(o -> affix(s, o, prefix));
        }
        String value = string(affix);
        return prefix ? s.startsWith(value) : s.endsWith(value);
    }

    /** str.strip / lstrip / rstrip: whitespace, or any of {@code chars}. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int[] points = s.codePoints().toArray();
        int start = 0;
        int end = points.length;
        while (left && start < end && stripped(points[start], chars)) {
            start++;
        }
        while (right && end > start && stripped(points[end - 1], chars)) {
            end--;
        }
        return new String(points, start, end - start);
    }

    private static boolean stripped(int c, String chars) {
        return chars == null ? Py.isSpace(c) : chars.codePoints().anyMatch(x -> x == c);
    }

    static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && Py.isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(s.substring(i)); // the rest keeps its trailing whitespace, as CPython's does
                    break;
                }
                int j = i;
                while (j < n && !Py.isSpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return Collections.unmodifiableList(out);
        }
        int from = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return Collections.unmodifiableList(out);
    }

    private static List<Object> rsplit(String s, String sep, long maxsplit) {
        if (maxsplit < 0) {
            return split(s, sep, maxsplit);
        }
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int end = s.length();
            while (true) {
                while (end > 0 && Py.isSpace(s.charAt(end - 1))) {
                    end--;
                }
                if (end == 0) {
                    break;
                }
                if (out.size() == maxsplit) {
                    out.add(s.substring(0, end)); // the rest keeps its leading whitespace
                    break;
                }
                int start = end;
                while (start > 0 && !Py.isSpace(s.charAt(start - 1))) {
                    start--;
                }
                out.add(s.substring(start, end));
                end = start;
            }
        } else {
            int end = s.length();
            while (out.size() < maxsplit) {
                int at = s.lastIndexOf(sep, end - sep.length());
                if (at < 0) {
                    break;
                }
                out.add(s.substring(at + sep.length(), end));
                end = at;
            }
            out.add(s.substring(0, end));
        }
        Collections.reverse(out);
        return Collections.unmodifiableList(out);
    }

    private static List<Object> splitlines(String s, boolean keepends) {
        List<Object> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int breakLength = 0;
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                breakLength = 2;
            } else if ("\n\r\u000b\f\u001c\u001d\u001e\u0085\u2028\u2029".indexOf(c) >= 0) {
                breakLength = 1;
            }
            if (breakLength > 0) {
                out.add(s.substring(start, keepends ? i + breakLength : i));
                i += breakLength;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return Collections.unmodifiableList(out);
    }

    private static String replace(String s, String old, String replacement, long count) {
        if (count < 0) {
            return old.isEmpty() ? insertBetweenAll(s, replacement) : s.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        long done = 0;
        while (done < count) {
            int at = s.indexOf(old, from);
            if (at < 0 || old.isEmpty()) {
                break;
            }
            out.append(s, from, at).append(replacement);
            from = at + old.length();
            done++;
        }
        return out.append(s.substring(from)).toString();
    }

    private static String insertBetweenAll(String s, String insert) {
        StringBuilder out = new StringBuilder(insert);
        s.codePoints().forEach(c -> out.appendCodePoint(c).append(insert));
        return out.toString();
    }

    private static long find(String s, String sub, boolean last) {
        int at = last ? s.lastIndexOf(sub) : s.indexOf(sub);
        return at < 0 ? -1 : s.codePointCount(0, at);
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return Py.length(s) + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static String swapcase(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> out.appendCodePoint(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)));
        return out.toString();
    }

    /** Python's str.title: a letter after a non-letter starts a word. */
    static String title(String s) {
        StringBuilder out = new StringBuilder();
        boolean previousCased = false;
        for (int c : s.codePoints().toArray()) {
            boolean letter = Character.isLetter(c);
            out.appendCodePoint(letter ? (previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c)) : c);
            previousCased = letter;
        }
        return out.toString();
    }

    /** Python's str.capitalize: the first character title-cased, the rest lower-cased. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT)).toString();
    }

    /** str.format with {}, {0}, {name} and {name.attr}/{name[key]} fields; no format specs. */
    private static String format(String s, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                out.append('{');
                i++;
            } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                out.append('}');
                i++;
            } else if (c == '{') {
                int end = s.indexOf('}', i);
                if (end < 0) {
                    throw TemplateException.render("Single '{' encountered in format string");
                }
                String field = s.substring(i + 1, end);
                if (field.contains(":") || field.contains("!")) {
                    throw TemplateException.render("format specifications are not supported: {" + field + "}");
                }
                Object value;
                if (field.isEmpty()) {
                    value = args.get(auto++);
                } else if (Character.isDigit(field.charAt(0))) {
                    value = args.get(Integer.parseInt(field));
                } else {
                    value = kwargs.getOrDefault(field, new Undefined("'" + field + "' is undefined"));
                }
                out.append(Py.str(value));
                i = end;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
