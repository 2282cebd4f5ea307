package dev.kestrel.inference.prompt.jinja;

/**
 * jinja2's default Undefined: prints as nothing, is false, iterates as empty and has length 0,
 * but raises when used any further (an attribute, an item, a call, arithmetic).
 */
final class Undefined {

    private final String hint;

    Undefined(String hint) {
        this.hint = hint;
    }

    static Undefined name(String name) {
        return new Undefined("'" + name + "' is undefined");
    }

    TemplateException error() {
        return TemplateException.render(hint);
    }

    @Override
    public String toString() {
        return "Undefined";
    }
}
