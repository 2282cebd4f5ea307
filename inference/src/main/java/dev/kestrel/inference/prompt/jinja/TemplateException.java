package dev.kestrel.inference.prompt.jinja;

/**
 * A template that cannot be parsed, or that fails while rendering. {@link #raised()} tells the
 * template's own {@code raise_exception(...)} apart from errors of the template or its data.
 */
public final class TemplateException extends RuntimeException {

    private final int line;
    private final boolean raised;

    TemplateException(String message, int line, boolean raised) {
        super(message);
        this.line = line;
        this.raised = raised;
    }

    static TemplateException syntax(String message, int line) {
        return new TemplateException(message, line, false);
    }

    static TemplateException render(String message) {
        return new TemplateException(message, 0, false);
    }

    /** Line of the template the error is on, 0 when unknown. */
    public int line() {
        return line;
    }

    /** True when the template itself called raise_exception(message). */
    public boolean raised() {
        return raised;
    }

    TemplateException atLine(int newLine) {
        return line != 0 || newLine == 0 ? this : new TemplateException(getMessage(), newLine, raised);
    }
}
