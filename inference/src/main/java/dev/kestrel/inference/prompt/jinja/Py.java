package dev.kestrel.inference.prompt.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Python's value semantics, as jinja2 inherits them: truthiness, str() and repr(), equality and
 * ordering, arithmetic, attribute and item lookup, slicing and iteration. Values are
 * {@code null} (None), Boolean, Long, Double, String, List (list or tuple), Map (dict),
 * {@link Undefined}, {@link Namespace}, {@link Loop} and {@link JinjaCallable}. Strings are
 * indexed, sliced and measured in code points, as Python does.
 */
final class Py {

    private Py() {}

    // -- whitespace ----------------------------------------------------------------------------

    /** Python's str.isspace for one character. */
    static boolean isSpace(int c) {
        return switch (c) {
            case '\t', '\n', 0x0b, '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0x2028, 0x2029 -> true;
            default -> Character.getType(c) == Character.SPACE_SEPARATOR;
        };
    }

    static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    // -- truth and text ------------------------------------------------------------------------

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Undefined u -> false;
            default -> true;
        };
    }

    /** Python's str(). */
    static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> s;
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> floatRepr(d);
            case Undefined u -> "";
            case List<?> l -> listRepr(l);
            case Map<?, ?> m -> dictRepr(m);
            default -> v.toString();
        };
    }

    /** Python's repr(). */
    static String repr(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> stringRepr(s);
            case Undefined u -> "Undefined";
            default -> str(v);
        };
    }

    private static String listRepr(List<?> list) {
        boolean tuple = list instanceof PyTuple;
        StringBuilder out = new StringBuilder(tuple ? "(" : "[");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(repr(list.get(i)));
        }
        if (tuple && list.size() == 1) {
            out.append(',');
        }
        return out.append(tuple ? ')' : ']').toString();
    }

    private static String dictRepr(Map<?, ?> map) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
        }
        return out.append('}').toString();
    }

    static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        s.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else if (!printable(c)) {
                out.append(c <= 0xff ? String.format("\\x%02x", c) : c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(quote).toString();
    }

    private static boolean printable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Python's repr() of a float: the shortest round-trip digits, fixed between 1e-4 and 1e16. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int pointAt = digits.length() - exact.scale(); // value = 0.digits * 10^pointAt
        int exponent = pointAt - 1;
        if (exponent < -4 || exponent >= 16) {
            return scientific(d, digits, exponent);
        }
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (pointAt <= 0) {
            out.append("0.").append("0".repeat(-pointAt)).append(digits);
        } else if (pointAt >= digits.length()) {
            out.append(digits).append("0".repeat(pointAt - digits.length())).append(".0");
        } else {
            out.append(digits, 0, pointAt).append('.').append(digits, pointAt, digits.length());
        }
        return out.toString();
    }

    private static String scientific(double d, String digits, int exponent) {
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        out.append(abs < 10 ? "0" + abs : Integer.toString(abs));
        return out.toString();
    }

    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case String s -> "str";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case PyTuple t -> "tuple";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Undefined u -> "Undefined";
            case Namespace n -> "Namespace";
            case JinjaCallable c -> "function";
            default -> v.getClass().getSimpleName();
        };
    }

    // -- equality and order --------------------------------------------------------------------

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static boolean eq(Object a, Object b) {
        if (a == b) {
            return !(a instanceof Double d && d.isNaN());
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return toDouble(a) == toDouble(b);
            }
            return toLong(a) == toLong(b);
        }
        if (a instanceof String s && b instanceof String t) {
            return s.equals(t);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if ((x instanceof PyTuple) != (y instanceof PyTuple) || x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!eq(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                Object key = findKey(y, e.getKey());
                if (key == MISSING || !eq(e.getValue(), y.get(key))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    static int compare(Object a, Object b, String operator) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return Double.compare(toDouble(a), toDouble(b));
            }
            return Long.compare(toLong(a), toLong(b));
        }
        if (a instanceof String s && b instanceof String t) {
            return compareCodePoints(s, t);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!eq(x.get(i), y.get(i))) {
                    return compare(x.get(i), y.get(i), operator);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        throw TemplateException.render("'" + operator + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    static int compareCodePoints(String s, String t) {
        int i = 0;
        int j = 0;
        while (i < s.length() && j < t.length()) {
            int a = s.codePointAt(i);
            int b = t.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Boolean.compare(i < s.length(), j < t.length());
    }

    static long toLong(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
    }

    static double toDouble(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
    }

    // -- arithmetic ----------------------------------------------------------------------------

    static Object binary(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        boolean numbers = isNumber(a) && isNumber(b);
        boolean floats = numbers && (a instanceof Double || b instanceof Double);
        try {
            switch (op) {
                case "+" -> {
                    if (numbers) {
                        return floats ? (Object) (toDouble(a) + toDouble(b)) : (Object) Math.addExact(toLong(a), toLong(b));
                    }
                    if (a instanceof String s && b instanceof String t) {
                        return s + t;
                    }
                    if (a instanceof List<?> x && b instanceof List<?> y && (x instanceof PyTuple) == (y instanceof PyTuple)) {
                        List<Object> joined = new ArrayList<>(x);
                        joined.addAll(y);
                        return x instanceof PyTuple ? PyTuple.of(joined) : Collections.unmodifiableList(joined);
                    }
                    if (a instanceof String) {
                        throw TemplateException.render("can only concatenate str (not \"" + typeName(b) + "\") to str");
                    }
                }
                case "-" -> {
                    if (numbers) {
                        return floats ? (Object) (toDouble(a) - toDouble(b)) : (Object) Math.subtractExact(toLong(a), toLong(b));
                    }
                }
                case "*" -> {
                    if (numbers) {
                        return floats ? (Object) (toDouble(a) * toDouble(b)) : (Object) Math.multiplyExact(toLong(a), toLong(b));
                    }
                    if ((a instanceof String || a instanceof List) && (b instanceof Long || b instanceof Boolean)) {
                        return repeat(a, toLong(b));
                    }
                    if ((b instanceof String || b instanceof List) && (a instanceof Long || a instanceof Boolean)) {
                        return repeat(b, toLong(a));
                    }
                }
                case "/" -> {
                    if (numbers) {
                        double divisor = toDouble(b);
                        if (divisor == 0) {
                            throw TemplateException.render("division by zero");
                        }
                        return toDouble(a) / divisor;
                    }
                }
                case "//" -> {
                    if (numbers) {
                        if (toDouble(b) == 0) {
                            throw TemplateException.render("integer division or modulo by zero");
                        }
                        return floats ? (Object) Math.floor(toDouble(a) / toDouble(b)) : (Object) Math.floorDiv(toLong(a), toLong(b));
                    }
                }
                case "%" -> {
                    if (numbers) {
                        if (toDouble(b) == 0) {
                            throw TemplateException.render("integer division or modulo by zero");
                        }
                        if (floats) {
                            double x = toDouble(a);
                            double y = toDouble(b);
                            double r = x % y;
                            return r != 0 && (r < 0) != (y < 0) ? r + y : r;
                        }
                        return Math.floorMod(toLong(a), toLong(b));
                    }
                    if (a instanceof String format) {
                        return PercentFormat.apply(format, b);
                    }
                }
                case "**" -> {
                    if (numbers) {
                        if (!floats && toLong(b) >= 0) {
                            return BigInteger.valueOf(toLong(a)).pow(Math.toIntExact(toLong(b))).longValueExact();
                        }
                        return Math.pow(toDouble(a), toDouble(b));
                    }
                }
                default -> throw TemplateException.render("unknown operator " + op);
            }
        } catch (ArithmeticException e) {
            throw TemplateException.render("integer overflow in '" + op + "'");
        }
        throw TemplateException.render("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b) + "'");
    }

    private static Object repeat(Object value, long times) {
        if (value instanceof String s) {
            return times <= 0 ? "" : s.repeat(Math.toIntExact(times));
        }
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < times; i++) {
            out.addAll((List<?>) value);
        }
        return Collections.unmodifiableList(out);
    }

    static Object negate(Object v) {
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (v instanceof Double d) {
            return -d;
        }
        if (isNumber(v)) {
            return Math.negateExact(toLong(v));
        }
        throw TemplateException.render("bad operand type for unary -: '" + typeName(v) + "'");
    }

    // -- lookup --------------------------------------------------------------------------------

    private static final Object MISSING = new Object();

    private static Object findKey(Map<?, ?> map, Object key) {
        if (map.containsKey(key)) {
            return key;
        }
        if (!(key instanceof String)) {
            for (Object k : map.keySet()) {
                if (eq(k, key)) {
                    return k;
                }
            }
        }
        return MISSING;
    }

    /** {@code obj.name}: an attribute (a method) first, then an item, else undefined. */
    static Object getattr(Object obj, String name) {
        if (obj instanceof Undefined u) {
            throw u.error();
        }
        if (obj instanceof Namespace ns) {
            return ns.attributes.containsKey(name) ? ns.attributes.get(name) : new Undefined("'Namespace' has no attribute '" + name + "'");
        }
        if (obj instanceof JinjaObject object) {
            return object.attribute(name);
        }
        JinjaCallable method = Methods.bind(obj, name);
        if (method != null) {
            return method;
        }
        if (obj instanceof Map<?, ?> map) {
            Object key = findKey(map, name);
            if (key != MISSING) {
                return map.get(key);
            }
        }
        return new Undefined("'" + (obj == null ? "None" : typeName(obj) + " object") + "' has no attribute '" + name + "'");
    }

    /** {@code obj[key]}: an item first, then (for a string key) an attribute, else undefined. */
    static Object getitem(Object obj, Object key) {
        if (obj instanceof Undefined u) {
            throw u.error();
        }
        if (key instanceof Undefined u) {
            throw u.error();
        }
        if (obj instanceof Map<?, ?> map) {
            Object found = findKey(map, key);
            if (found != MISSING) {
                return map.get(found);
            }
        } else if ((obj instanceof List<?> || obj instanceof String) && (key instanceof Long || key instanceof Boolean)) {
            int size = length(obj);
            long index = toLong(key);
            if (index < 0) {
                index += size;
            }
            if (index >= 0 && index < size) {
                return obj instanceof List<?> list ? list.get((int) index) : codePointAt((String) obj, (int) index);
            }
            return new Undefined(typeName(obj) + " object has no element " + key);
        }
        if (key instanceof String name) {
            return getattr(obj, name);
        }
        return new Undefined("'" + typeName(obj) + " object' has no attribute " + repr(key));
    }

    static Object slice(Object obj, Object start, Object stop, Object step) {
        if (obj instanceof Undefined u) {
            throw u.error();
        }
        List<Object> items;
        boolean string = obj instanceof String;
        if (obj instanceof String s) {
            items = new ArrayList<>(codePoints(s));
        } else if (obj instanceof List<?> list) {
            items = new ArrayList<>(list);
        } else {
            throw TemplateException.render("'" + typeName(obj) + "' object is not subscriptable");
        }
        int n = items.size();
        long stepValue = step == null ? 1 : toLong(step);
        if (stepValue == 0) {
            throw TemplateException.render("slice step cannot be zero");
        }
        long lo;
        long hi;
        if (stepValue > 0) {
            lo = start == null ? 0 : clamp(toLong(start), n, 0, n);
            hi = stop == null ? n : clamp(toLong(stop), n, 0, n);
        } else {
            lo = start == null ? n - 1 : clamp(toLong(start), n, -1, n - 1);
            hi = stop == null ? -1 : clamp(toLong(stop), n, -1, n - 1);
        }
        List<Object> out = new ArrayList<>();
        for (long i = lo; stepValue > 0 ? i < hi : i > hi; i += stepValue) {
            out.add(items.get((int) i));
        }
        if (string) {
            StringBuilder text = new StringBuilder();
            out.forEach(c -> text.append((String) c));
            return text.toString();
        }
        return obj instanceof PyTuple ? PyTuple.of(out) : Collections.unmodifiableList(out);
    }

    private static long clamp(long index, int n, long min, long max) {
        long i = index < 0 ? index + n : index;
        return Math.max(min, Math.min(max, i));
    }

    static List<Object> iterate(Object v) {
        return switch (v) {
            case Undefined u -> List.of();
            case List<?> l -> Collections.unmodifiableList(l);
            case Map<?, ?> m -> List.copyOf(m.keySet());
            case String s -> codePoints(s);
            case null -> throw TemplateException.render("'NoneType' object is not iterable");
            default -> throw TemplateException.render("'" + typeName(v) + "' object is not iterable");
        };
    }

    static int length(Object v) {
        return switch (v) {
            case null -> throw TemplateException.render("object of type 'NoneType' has no len()");
            case String s -> s.codePointCount(0, s.length());
            case List<?> l -> l.size();
            case Map<?, ?> m -> m.size();
            case Undefined u -> 0;
            default -> throw TemplateException.render("object of type '" + typeName(v) + "' has no len()");
        };
    }

    static boolean contains(Object container, Object item) {
        return switch (container) {
            case null -> throw TemplateException.render("argument of type 'NoneType' is not iterable");
            case String s -> {
                if (!(item instanceof String t)) {
                    throw TemplateException.render("'in <string>' requires string as left operand, not " + typeName(item));
                }
                yield s.contains(t);
            }
            case List<?> l -> l.stream().anyMatch(x -> eq(x, item));
            case Map<?, ?> m -> findKey(m, item) != MISSING;
            case Undefined u -> false;
            default -> throw TemplateException.render("argument of type '" + typeName(container) + "' is not iterable");
        };
    }

    static List<Object> codePoints(String s) {
        List<Object> out = new ArrayList<>(s.length());
        s.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
        return out;
    }

    private static String codePointAt(String s, int index) {
        int offset = s.offsetByCodePoints(0, index);
        return new String(Character.toChars(s.codePointAt(offset)));
    }
}
