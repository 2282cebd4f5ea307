package dev.kestrel.inference.prompt.jinja;

import java.util.List;
import java.util.Locale;

/** Python's {@code "format" % values} for the conversions templates use: %s %r %d %i %f %x %%, with width and precision. */
final class PercentFormat {

    private PercentFormat() {}

    static String apply(String format, Object values) {
        List<?> args = values instanceof List<?> list ? list : List.of(values == null ? "None" : values);
        if (values == null) {
            args = java.util.Collections.singletonList(null);
        }
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int j = i + 1;
            StringBuilder spec = new StringBuilder();
            while (j < format.length() && "-+ 0#.0123456789".indexOf(format.charAt(j)) >= 0) {
                spec.append(format.charAt(j++));
            }
            if (j >= format.length()) {
                throw TemplateException.render("incomplete format");
            }
            char conversion = format.charAt(j);
            i = j;
            if (conversion == '%') {
                out.append('%');
                continue;
            }
            if (next >= args.size()) {
                throw TemplateException.render("not enough arguments for format string");
            }
            Object arg = args.get(next++);
            out.append(switch (conversion) {
                case 's' -> pad(Py.str(arg), spec.toString());
                case 'r' -> pad(Py.repr(arg), spec.toString());
                case 'd', 'i' -> String.format(Locale.ROOT, "%" + spec + "d", Py.toLong(number(arg)));
                case 'f', 'F', 'e', 'E', 'g', 'G' -> String.format(Locale.ROOT, "%" + spec + conversion, Py.toDouble(number(arg)));
                case 'x', 'X', 'o' -> String.format(Locale.ROOT, "%" + spec + conversion, Py.toLong(number(arg)));
                default -> throw TemplateException.render("unsupported format character '" + conversion + "'");
            });
        }
        if (next < args.size() && values instanceof List) {
            throw TemplateException.render("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private static Object number(Object arg) {
        if (!Py.isNumber(arg)) {
            throw TemplateException.render("a number is required, not " + Py.typeName(arg));
        }
        return arg;
    }

    private static String pad(String text, String spec) {
        if (spec.isEmpty()) {
            return text;
        }
        String widthPart = spec.contains(".") ? spec.substring(0, spec.indexOf('.')) : spec;
        String value = text;
        if (spec.contains(".")) {
            int precision = Integer.parseInt(spec.substring(spec.indexOf('.') + 1));
            value = value.substring(0, Math.min(value.length(), precision));
        }
        boolean left = widthPart.contains("-");
        String digits = widthPart.replaceAll("[^0-9]", "");
        int width = digits.isEmpty() ? 0 : Integer.parseInt(digits);
        String padding = " ".repeat(Math.max(0, width - value.length()));
        return left ? value + padding : padding + value;
    }
}
