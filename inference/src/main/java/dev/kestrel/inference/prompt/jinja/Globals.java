package dev.kestrel.inference.prompt.jinja;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names every template sees: jinja2's range, dict, namespace, cycler and joiner, and Hugging
 * Face's raise_exception and strftime_now.
 */
final class Globals {

    private Globals() {}

    static Map<String, Object> create(Clock clock) {
        Map<String, Object> globals = new LinkedHashMap<>();
        globals.put("range", (JinjaCallable) Globals::range);
        globals.put("dict", (JinjaCallable) (args, kwargs) -> {
            Map<Object, Object> map = new LinkedHashMap<>();
            if (!args.isEmpty() && args.getFirst() instanceof Map<?, ?> from) {
                map.putAll(from);
            }
            map.putAll(kwargs);
            return map;
        });
        globals.put("namespace", (JinjaCallable) (args, kwargs) -> {
            Namespace ns = new Namespace();
            if (!args.isEmpty() && args.getFirst() instanceof Map<?, ?> from) {
                from.forEach((k, v) -> ns.attributes.put(Py.str(k), v));
            }
            ns.attributes.putAll(kwargs);
            return ns;
        });
        globals.put("cycler", (JinjaCallable) (args, kwargs) -> new Cycler(args));
        globals.put("joiner", (JinjaCallable) (args, kwargs) -> {
            String separator = Py.str(Methods.arg(args, kwargs, 0, "sep", ", "));
            boolean[] used = {false};
            return (JinjaCallable) (a, k) -> {
                if (used[0]) {
                    return separator;
                }
                used[0] = true;
                return "";
            };
        });
        globals.put("raise_exception", (JinjaCallable) (args, kwargs) -> {
            throw new TemplateException(args.isEmpty() ? "" : Py.str(args.getFirst()), 0, true);
        });
        globals.put("strftime_now", (JinjaCallable) (args, kwargs) -> strftime(Py.str(Methods.arg(args, kwargs, 0, "format", "")),
                ZonedDateTime.now(clock)));
        return globals;
    }

    private static Object range(List<Object> args, Map<String, Object> kwargs) {
        long start = 0;
        long stop;
        long step = 1;
        if (args.size() == 1) {
            stop = Py.toLong(args.getFirst());
        } else if (args.size() >= 2) {
            start = Py.toLong(args.get(0));
            stop = Py.toLong(args.get(1));
            if (args.size() > 2) {
                step = Py.toLong(args.get(2));
            }
        } else {
            throw TemplateException.render("range expected at least 1 argument, got 0");
        }
        if (step == 0) {
            throw TemplateException.render("range() arg 3 must not be zero");
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (out.size() > 100_000) {
                throw TemplateException.render("range too big");
            }
            out.add(i);
        }
        return Collections.unmodifiableList(out);
    }

    /** Python's datetime.strftime for the directives chat templates use (glibc's %-d style included). */
    static String strftime(String format, ZonedDateTime t) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            boolean unpadded = false;
            if (d == '-' && i + 1 < format.length()) {
                unpadded = true;
                d = format.charAt(++i);
            }
            String value = switch (d) {
                case 'Y' -> Integer.toString(t.getYear());
                case 'y' -> two(t.getYear() % 100);
                case 'm' -> two(t.getMonthValue());
                case 'd' -> two(t.getDayOfMonth());
                case 'e' -> String.format("%2d", t.getDayOfMonth());
                case 'H' -> two(t.getHour());
                case 'I' -> two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
                case 'M' -> two(t.getMinute());
                case 'S' -> two(t.getSecond());
                case 'p' -> t.getHour() < 12 ? "AM" : "PM";
                case 'j' -> String.format("%03d", t.getDayOfYear());
                case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
                case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
                case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
                case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
                case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
                case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
                case 'Z' -> t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
                case 'z' -> t.getOffset().getId().equals("Z") ? "+0000" : t.getOffset().getId().replace(":", "");
                case '%' -> "%";
                default -> "%" + (unpadded ? "-" : "") + d;
            };
            if (unpadded && value.length() > 1 && value.charAt(0) == '0') {
                value = value.substring(1);
            }
            out.append(unpadded ? value.strip() : value);
        }
        return out.toString();
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    /** jinja2's cycler(*items): next() walks the items round and round; current is the one it is on. */
    static final class Cycler implements JinjaObject {
        private final List<Object> items;
        private int position;

        Cycler(List<Object> items) {
            this.items = List.copyOf(items);
        }

        @Override
        public Object attribute(String name) {
            return switch (name) {
                case "next" -> (JinjaCallable) (a, k) -> {
                    Object value = items.get(position);
                    position = (position + 1) % items.size();
                    return value;
                };
                case "reset" -> (JinjaCallable) (a, k) -> {
                    position = 0;
                    return null;
                };
                case "current" -> items.get(position);
                default -> new Undefined("'Cycler' has no attribute '" + name + "'");
            };
        }
    }
}
