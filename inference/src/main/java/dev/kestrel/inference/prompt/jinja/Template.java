package dev.kestrel.inference.prompt.jinja;

import dev.kestrel.inference.prompt.jinja.Node.Stmt;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A Jinja template rendered the way Hugging Face's {@code apply_chat_template} renders chat
 * templates with Python's jinja2: an immutable sandbox with trim_blocks and lstrip_blocks, the
 * loop controls extension, {@code tojson} as plain {@code json.dumps}, and the globals
 * {@code raise_exception} and {@code strftime_now}. Parsed once, rendered many times; thread-safe.
 *
 * <p>Context values are Java values standing for Python's: null, Boolean, Long (any integral
 * Number is accepted), Double, String, List and Map.
 */
public final class Template {

    private final List<Stmt> body;
    private final Clock clock;

    private Template(List<Stmt> body, Clock clock) {
        this.body = body;
        this.clock = clock;
    }

    /** Parses a template; a syntax error throws {@link TemplateException} with its line. */
    public static Template compile(String source) {
        return compile(source, Clock.systemDefaultZone());
    }

    public static Template compile(String source, Clock clock) {
        return new Template(Parser.parse(source), clock);
    }

    public String render(Map<String, ?> context) {
        Renderer.Scope globals = new Renderer.Scope(null);
        Globals.create(clock).forEach(globals::set);
        Renderer.Scope top = new Renderer.Scope(globals);
        context.forEach((name, value) -> top.set(name, normalize(value)));
        StringBuilder out = new StringBuilder();
        new Renderer().execute(body, top, out);
        return out.toString();
    }

    /** Java values to the ones the interpreter knows: integers to Long, floats to Double, recursively. */
    private static Object normalize(Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Float f -> f.doubleValue();
            case java.math.BigInteger big -> big.longValueExact();
            case java.math.BigDecimal decimal -> decimal.doubleValue();
            case List<?> list -> java.util.Collections.unmodifiableList(list.stream().map(Template::normalize)
                    .collect(java.util.ArrayList::new, java.util.ArrayList::add, java.util.ArrayList::addAll));
            case Map<?, ?> map -> {
                Map<Object, Object> copy = new java.util.LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(normalize(k), normalize(v)));
                yield copy;
            }
            default -> value;
        };
    }
}
