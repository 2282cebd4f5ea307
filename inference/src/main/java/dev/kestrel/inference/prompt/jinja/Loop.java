package dev.kestrel.inference.prompt.jinja;

import java.util.List;
import java.util.Map;

/** The {@code loop} variable of a for loop. */
final class Loop implements JinjaObject {

    private final List<Object> items;
    private final int depth;
    private int index;
    private static final Object NEVER = new Object();
    private Object lastChanged = NEVER;

    Loop(List<Object> items, int depth) {
        this.items = items;
        this.depth = depth;
    }

    void moveTo(int newIndex) {
        index = newIndex;
    }

    @Override
    public Object attribute(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index + 1;
            case "index0" -> (long) index;
            case "revindex" -> (long) (n - index);
            case "revindex0" -> (long) (n - index - 1);
            case "first" -> index == 0;
            case "last" -> index == n - 1;
            case "length" -> (long) n;
            case "depth" -> (long) depth;
            case "depth0" -> (long) depth - 1;
            case "previtem" -> index > 0 ? items.get(index - 1) : new Undefined("there is no previous item");
            case "nextitem" -> index < n - 1 ? items.get(index + 1) : new Undefined("there is no next item");
            case "cycle" -> (JinjaCallable) this::cycle;
            case "changed" -> (JinjaCallable) this::changed;
            default -> new Undefined("'LoopContext' has no attribute '" + name + "'");
        };
    }

    private Object cycle(List<Object> args, Map<String, Object> kwargs) {
        if (args.isEmpty()) {
            throw TemplateException.render("no items for cycling given");
        }
        return args.get(index % args.size());
    }

    /** True on the first call and whenever the arguments differ from the previous call's. */
    private Object changed(List<Object> args, Map<String, Object> kwargs) {
        List<Object> value = new java.util.ArrayList<>(args);
        boolean changed = lastChanged == NEVER || !Py.eq(value, lastChanged);
        lastChanged = value;
        return changed;
    }

    @Override
    public String toString() {
        return "<LoopContext " + (index + 1) + "/" + items.size() + ">";
    }
}
