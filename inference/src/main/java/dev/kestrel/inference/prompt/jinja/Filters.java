package dev.kestrel.inference.prompt.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** jinja2's built-in filters that chat templates use, with jinja2's semantics, and Hugging Face's tojson. */
final class Filters {

    @FunctionalInterface
    interface Filter {
        Object apply(Object value, List<Object> args, Map<String, Object> kwargs);
    }

    private static final Map<String, Filter> FILTERS = new HashMap<>();
    private static final Pattern TITLE_WORDS = Pattern.compile("([-\\s({\\[<]+)");
    private static final Pattern TAGS = Pattern.compile("(<!--.*?-->|<[^>]*>)", Pattern.DOTALL);

    static {
        FILTERS.put("abs", (v, a, k) -> v instanceof Double d ? (Object) Math.abs(d) : (Object) Math.abs(Py.toLong(number(v))));
        FILTERS.put("attr", (v, a, k) -> Py.getattr(v, Py.str(arg(a, k, 0, "name", ""))));
        FILTERS.put("batch", Filters::batch);
        FILTERS.put("capitalize", (v, a, k) -> Methods.capitalize(text(v)));
        FILTERS.put("center", (v, a, k) -> center(text(v), (int) Py.toLong(arg(a, k, 0, "width", 80L))));
        FILTERS.put("count", (v, a, k) -> (long) Py.length(v));
        FILTERS.put("length", (v, a, k) -> (long) Py.length(v));
        FILTERS.put("default", Filters::defaultValue);
        FILTERS.put("d", Filters::defaultValue);
        FILTERS.put("dictsort", Filters::dictsort);
        FILTERS.put("escape", (v, a, k) -> escape(Py.str(v)));
        FILTERS.put("e", (v, a, k) -> escape(Py.str(v)));
        FILTERS.put("forceescape", (v, a, k) -> escape(Py.str(v)));
        FILTERS.put("first", (v, a, k) -> {
            List<Object> items = Py.iterate(v);
            return items.isEmpty() ? new Undefined("No first item, sequence was empty.") : items.getFirst();
        });
        FILTERS.put("last", (v, a, k) -> {
            List<Object> items = Py.iterate(v);
            return items.isEmpty() ? new Undefined("No last item, sequence was empty.") : items.getLast();
        });
        FILTERS.put("float", (v, a, k) -> toFloat(v, arg(a, k, 0, "default", 0.0)));
        FILTERS.put("int", (v, a, k) -> toInt(v, arg(a, k, 0, "default", 0L), (int) Py.toLong(arg(a, k, 1, "base", 10L))));
        FILTERS.put("format", (v, a, k) -> PercentFormat.apply(text(v), a.size() == 1 ? a.getFirst() : List.copyOf(a)));
        FILTERS.put("indent", Filters::indent);
        FILTERS.put("items", (v, a, k) -> v instanceof Undefined ? List.of() : Methods.bind(v, "items").call(List.of(), Map.of()));
        FILTERS.put("join", Filters::join);
        FILTERS.put("list", (v, a, k) -> Collections.unmodifiableList(new ArrayList<>(Py.iterate(v))));
        FILTERS.put("lower", (v, a, k) -> text(v).toLowerCase(Locale.ROOT));
        FILTERS.put("upper", (v, a, k) -> text(v).toUpperCase(Locale.ROOT));
        FILTERS.put("map", Filters::map);
        FILTERS.put("max", (v, a, k) -> extreme(v, a, k, true));
        FILTERS.put("min", (v, a, k) -> extreme(v, a, k, false));
        FILTERS.put("pprint", (v, a, k) -> Py.repr(v));
        FILTERS.put("reject", (v, a, k) -> select(v, a, k, false, false));
        FILTERS.put("rejectattr", (v, a, k) -> select(v, a, k, false, true));
        FILTERS.put("select", (v, a, k) -> select(v, a, k, true, false));
        FILTERS.put("selectattr", (v, a, k) -> select(v, a, k, true, true));
        FILTERS.put("replace", (v, a, k) -> Methods.bind(text(v), "replace").call(a, k));
        FILTERS.put("reverse", (v, a, k) -> {
            if (v instanceof String s) {
                return Py.slice(s, null, null, -1L);
            }
            List<Object> items = new ArrayList<>(Py.iterate(v));
            Collections.reverse(items);
            return Collections.unmodifiableList(items);
        });
        FILTERS.put("round", Filters::round);
        FILTERS.put("safe", (v, a, k) -> v);
        FILTERS.put("sort", Filters::sort);
        FILTERS.put("string", (v, a, k) -> Py.str(v));
        FILTERS.put("striptags", (v, a, k) -> String.join(" ", Methods.split(TAGS.matcher(Py.str(v)).replaceAll(""), null, -1)
                .stream().map(Object::toString).toList()));
        FILTERS.put("sum", Filters::sum);
        FILTERS.put("title", (v, a, k) -> title(text(v)));
        FILTERS.put("tojson", (v, a, k) -> PyJson.dumps(v, Py.truthy(arg(a, k, 0, "ensure_ascii", false)),
                arg(a, k, 1, "indent", null), arg(a, k, 2, "separators", null), Py.truthy(arg(a, k, 3, "sort_keys", false))));
        FILTERS.put("trim", (v, a, k) -> {
            Object chars = arg(a, k, 0, "chars", null);
            return Methods.strip(text(v), chars == null ? null : Py.str(chars), true, true);
        });
        FILTERS.put("truncate", Filters::truncate);
        FILTERS.put("unique", Filters::unique);
        FILTERS.put("wordcount", (v, a, k) -> (long) Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS).matcher(Py.str(v)).results().count());
    }

    private Filters() {}

    static boolean exists(String name) {
        return FILTERS.containsKey(name);
    }

    static Object apply(String name, Object value, List<Object> args, Map<String, Object> kwargs) {
        Filter filter = FILTERS.get(name);
        if (filter == null) {
            throw TemplateException.render("no filter named '" + name + "'");
        }
        return filter.apply(value, args, kwargs);
    }

    private static Object arg(List<Object> args, Map<String, Object> kwargs, int index, String name, Object fallback) {
        return Methods.arg(args, kwargs, index, name, fallback);
    }

    /** jinja2 filters take their input as text through soft_str: undefined is "", others str(). */
    private static String text(Object v) {
        return Py.str(v);
    }

    private static Object number(Object v) {
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (!Py.isNumber(v)) {
            throw TemplateException.render("bad operand type: '" + Py.typeName(v) + "'");
        }
        return v;
    }

    private static Object defaultValue(Object v, List<Object> a, Map<String, Object> k) {
        Object fallback = arg(a, k, 0, "default_value", "");
        boolean onFalsy = Py.truthy(arg(a, k, 1, "boolean", false));
        return v instanceof Undefined || (onFalsy && !Py.truthy(v)) ? fallback : v;
    }

    private static Object batch(Object v, List<Object> a, Map<String, Object> k) {
        long size = Py.toLong(arg(a, k, 0, "linecount", 1L));
        Object fill = arg(a, k, 1, "fill_with", null);
        boolean fillGiven = a.size() > 1 || k.containsKey("fill_with");
        List<Object> out = new ArrayList<>();
        List<Object> current = new ArrayList<>();
        for (Object item : Py.iterate(v)) {
            current.add(item);
            if (current.size() == size) {
                out.add(Collections.unmodifiableList(current));
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            while (fillGiven && current.size() < size) {
                current.add(fill);
            }
            out.add(Collections.unmodifiableList(current));
        }
        return Collections.unmodifiableList(out);
    }

    private static String center(String s, int width) {
        int missing = width - Py.length(s);
        if (missing <= 0) {
            return s;
        }
        int left = missing / 2 + (missing & width & 1);
        return " ".repeat(left) + s + " ".repeat(missing - left);
    }

    private static Object dictsort(Object v, List<Object> a, Map<String, Object> k) {
        if (!(v instanceof Map<?, ?> map)) {
            throw TemplateException.render("dictsort needs a mapping");
        }
        boolean caseSensitive = Py.truthy(arg(a, k, 0, "case_sensitive", false));
        String by = Py.str(arg(a, k, 1, "by", "key"));
        boolean reverse = Py.truthy(arg(a, k, 2, "reverse", false));
        int position = by.equals("value") ? 1 : 0;
        List<Object> pairs = new ArrayList<>();
        map.forEach((key, value) -> pairs.add(Methods.pair(key, value)));
        Comparator<Object> order = (x, y) -> Py.compare(sortKey(((List<?>) x).get(position), caseSensitive),
                sortKey(((List<?>) y).get(position), caseSensitive), "<");
        pairs.sort(reverse ? order.reversed() : order);
        return Collections.unmodifiableList(pairs);
    }

    private static Object sortKey(Object v, boolean caseSensitive) {
        return !caseSensitive && v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;").replace("'", "&#39;");
    }

    private static Object toFloat(Object v, Object fallback) {
        try {
            return switch (v) {
                case null -> fallback;
                case Double d -> d;
                case Long l -> (double) l;
                case Boolean b -> b ? 1.0 : 0.0;
                case String s -> Double.parseDouble(s.strip());
                default -> fallback;
            };
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Object toInt(Object v, Object fallback, int base) {
        try {
            return switch (v) {
                case null -> fallback;
                case Long l -> l;
                case Double d -> (long) (double) d;
                case Boolean b -> b ? 1L : 0L;
                case String s -> {
                    String t = s.strip().replace("_", "");
                    try {
                        yield Long.parseLong(t, base);
                    } catch (NumberFormatException e) {
                        yield (long) Double.parseDouble(t);
                    }
                }
                default -> fallback;
            };
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Object indent(Object v, List<Object> a, Map<String, Object> k) {
        Object width = arg(a, k, 0, "width", 4L);
        String pad = width instanceof String s ? s : " ".repeat((int) Py.toLong(width));
        boolean first = Py.truthy(arg(a, k, 1, "first", false));
        boolean blank = Py.truthy(arg(a, k, 2, "blank", false));
        String s = text(v);
        String newline = "\n";
        if (s.endsWith(newline)) {
            s = s.substring(0, s.length() - 1);
        } else {
            newline = "";
        }
        List<Object> lines = Methods.split(s, "\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = (String) lines.get(i);
            if (i > 0) {
                out.append('\n');
            }
            boolean indentThis = (i > 0 || first) && (blank || !line.isEmpty());
            out.append(indentThis ? pad + line : line);
        }
        return out.append(newline).toString();
    }

    private static Object join(Object v, List<Object> a, Map<String, Object> k) {
        String separator = Py.str(arg(a, k, 0, "d", ""));
        Object attribute = arg(a, k, 1, "attribute", null);
        StringBuilder out = new StringBuilder();
        List<Object> items = Py.iterate(v);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            Object item = attribute == null ? items.get(i) : lookup(items.get(i), attribute);
            out.append(Py.str(item));
        }
        return out.toString();
    }

    /** An attribute path ("a.b") or an index, as jinja2's make_attrgetter reads it. */
    private static Object lookup(Object item, Object attribute) {
        if (attribute instanceof Long) {
            return Py.getitem(item, attribute);
        }
        Object value = item;
        for (String part : Py.str(attribute).split("\\.")) {
            value = part.chars().allMatch(Character::isDigit) ? Py.getitem(value, Long.parseLong(part)) : Py.getitem(value, part);
        }
        return value;
    }

    private static Object map(Object v, List<Object> a, Map<String, Object> k) {
        List<Object> out = new ArrayList<>();
        if (k.containsKey("attribute")) {
            Object attribute = k.get("attribute");
            Object fallback = k.get("default");
            for (Object item : Py.iterate(v)) {
                Object value = lookup(item, attribute);
                out.add(value instanceof Undefined && k.containsKey("default") ? fallback : value);
            }
        } else {
            if (a.isEmpty()) {
                throw TemplateException.render("map needs a filter name or attribute=");
            }
            String filter = Py.str(a.getFirst());
            List<Object> rest = a.subList(1, a.size());
            for (Object item : Py.iterate(v)) {
                out.add(apply(filter, item, rest, k));
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static Object select(Object v, List<Object> a, Map<String, Object> k, boolean keep, boolean byAttribute) {
        List<Object> out = new ArrayList<>();
        int next = 0;
        Object attribute = null;
        if (byAttribute) {
            if (a.isEmpty()) {
                throw TemplateException.render("selectattr and rejectattr need an attribute");
            }
            attribute = a.getFirst();
            next = 1;
        }
        String test = a.size() > next ? Py.str(a.get(next)) : null;
        List<Object> testArgs = a.size() > next + 1 ? a.subList(next + 1, a.size()) : List.of();
        for (Object item : Py.iterate(v)) {
            Object subject = byAttribute ? lookup(item, attribute) : item;
            boolean passes = test == null ? Py.truthy(subject) : Tests.apply(test, subject, testArgs);
            if (passes == keep) {
                out.add(item);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static Object extreme(Object v, List<Object> a, Map<String, Object> k, boolean max) {
        List<Object> items = Py.iterate(v);
        if (items.isEmpty()) {
            return new Undefined("No aggregated item, sequence was empty.");
        }
        boolean caseSensitive = Py.truthy(arg(a, k, 0, "case_sensitive", false));
        Object attribute = arg(a, k, 1, "attribute", null);
        Object best = items.getFirst();
        for (Object item : items) {
            Object x = sortKey(attribute == null ? item : lookup(item, attribute), caseSensitive);
            Object y = sortKey(attribute == null ? best : lookup(best, attribute), caseSensitive);
            int c = Py.compare(x, y, max ? ">" : "<");
            if (max ? c > 0 : c < 0) {
                best = item;
            }
        }
        return best;
    }

    /** Rounding as jinja2 does: "common" is Python's round() (half to even on the exact value), or ceil / floor. */
    private static Object round(Object v, List<Object> a, Map<String, Object> k) {
        long precision = Py.toLong(arg(a, k, 0, "precision", 0L));
        String method = Py.str(arg(a, k, 1, "method", "common"));
        double value = Py.toDouble(number(v));
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_EVEN;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw TemplateException.render("method must be common, ceil or floor");
        };
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return new BigDecimal(value).setScale((int) precision, mode).doubleValue();
    }

    private static Object sort(Object v, List<Object> a, Map<String, Object> k) {
        boolean reverse = Py.truthy(arg(a, k, 0, "reverse", false));
        boolean caseSensitive = Py.truthy(arg(a, k, 1, "case_sensitive", false));
        Object attribute = arg(a, k, 2, "attribute", null);
        List<Object> items = new ArrayList<>(Py.iterate(v));
        Comparator<Object> order = (x, y) -> Py.compare(sortKey(attribute == null ? x : lookup(x, attribute), caseSensitive),
                sortKey(attribute == null ? y : lookup(y, attribute), caseSensitive), "<");
        items.sort(reverse ? order.reversed() : order);
        return Collections.unmodifiableList(items);
    }

    private static Object sum(Object v, List<Object> a, Map<String, Object> k) {
        Object attribute = arg(a, k, 0, "attribute", null);
        Object total = arg(a, k, 1, "start", 0L);
        for (Object item : Py.iterate(v)) {
            total = Py.binary("+", total, attribute == null ? item : lookup(item, attribute));
        }
        return total;
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder();
        Matcher m = TITLE_WORDS.matcher(s);
        int last = 0;
        List<String> parts = new ArrayList<>();
        while (m.find()) {
            parts.add(s.substring(last, m.start()));
            parts.add(m.group());
            last = m.end();
        }
        parts.add(s.substring(last));
        for (String item : parts) {
            if (!item.isEmpty()) {
                int first = item.codePointAt(0);
                out.appendCodePoint(Character.toUpperCase(first))
                        .append(item.substring(Character.charCount(first)).toLowerCase(Locale.ROOT));
            }
        }
        return out.toString();
    }

    private static Object truncate(Object v, List<Object> a, Map<String, Object> k) {
        String s = text(v);
        int length = (int) Py.toLong(arg(a, k, 0, "length", 255L));
        boolean killwords = Py.truthy(arg(a, k, 1, "killwords", false));
        String end = Py.str(arg(a, k, 2, "end", "..."));
        int leeway = (int) Py.toLong(arg(a, k, 3, "leeway", 5L));
        if (Py.length(s) <= length + leeway) {
            return s;
        }
        String cut = (String) Py.slice(s, null, (long) (length - Py.length(end)), null);
        if (killwords) {
            return cut + end;
        }
        int space = cut.lastIndexOf(' ');
        return (space < 0 ? cut : cut.substring(0, space)) + end;
    }

    private static Object unique(Object v, List<Object> a, Map<String, Object> k) {
        boolean caseSensitive = Py.truthy(arg(a, k, 0, "case_sensitive", false));
        Object attribute = arg(a, k, 1, "attribute", null);
        List<Object> out = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        for (Object item : Py.iterate(v)) {
            Object key = sortKey(attribute == null ? item : lookup(item, attribute), caseSensitive);
            if (seen.stream().noneMatch(s -> Py.eq(s, key))) {
                seen.add(key);
                out.add(item);
            }
        }
        return Collections.unmodifiableList(out);
    }

    static Map<String, Object> kwargs(List<String> names, List<Object> values) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            map.put(names.get(i), values.get(i));
        }
        return map;
    }
}
