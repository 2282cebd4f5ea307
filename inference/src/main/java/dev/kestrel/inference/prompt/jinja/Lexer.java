package dev.kestrel.inference.prompt.jinja;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into text and tag tokens the way jinja2's lexer does with the environment
 * Hugging Face uses for chat templates: {@code trim_blocks} (the newline after a block or comment
 * tag is dropped), {@code lstrip_blocks} (spaces and tabs before a block or comment tag at the
 * start of a line are dropped), {@code -} and {@code +} whitespace control, and
 * {@code keep_trailing_newline=False} (one trailing newline of the template is dropped).
 */
final class Lexer {

    enum Kind {
        TEXT, BLOCK_BEGIN, BLOCK_END, VARIABLE_BEGIN, VARIABLE_END,
        NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF
    }

    record Token(Kind kind, String value, int line) {
        boolean is(Kind k, String v) {
            return kind == k && value.equals(v);
        }

        boolean isName(String v) {
            return is(Kind.NAME, v);
        }

        boolean isOperator(String v) {
            return is(Kind.OPERATOR, v);
        }
    }

    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=",
        "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", ";"
    };

    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    private boolean lineStarting = true;

    private Lexer(String source) {
        this.source = source;
    }

    static List<Token> tokenize(String template) {
        Lexer lexer = new Lexer(normalize(template));
        lexer.run();
        return lexer.tokens;
    }

    /** Newlines to \n, and one trailing newline dropped (jinja2's keep_trailing_newline=False). */
    static String normalize(String template) {
        String text = template.replace("\r\n", "\n").replace('\r', '\n');
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private void run() {
        while (pos < source.length()) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                emitText(source.substring(pos));
                pos = source.length();
                break;
            }
            String opener = source.substring(tag, tag + 2);
            char sign = tag + 2 < source.length() ? source.charAt(tag + 2) : 0;
            String text = source.substring(pos, tag);
            if (sign == '-') {
                text = Py.rstrip(text);
            } else if (sign != '+' && !opener.equals("{{")) {
                text = lstripBlock(text);
            }
            emitText(text);
            pos = tag + 2 + (sign == '-' || sign == '+' ? 1 : 0);
            switch (opener) {
                case "{#" -> comment(tag);
                case "{{" -> expression(Kind.VARIABLE_BEGIN, Kind.VARIABLE_END, "}}");
                default -> {
                    if (!raw()) {
                        expression(Kind.BLOCK_BEGIN, Kind.BLOCK_END, "%}");
                    }
                }
            }
        }
        tokens.add(new Token(Kind.EOF, "", line));
    }

    private int nextTagStart(int from) {
        int at = from;
        while (true) {
            int brace = source.indexOf('{', at);
            if (brace < 0 || brace + 1 >= source.length()) {
                return -1;
            }
            char next = source.charAt(brace + 1);
            if (next == '{' || next == '%' || next == '#') {
                return brace;
            }
            at = brace + 1;
        }
    }

    /** lstrip_blocks: whitespace between the last line start and a block or comment tag goes. */
    private String lstripBlock(String text) {
        int lineStart = text.lastIndexOf('\n') + 1;
        if (lineStart > 0 || lineStarting) {
            String tail = text.substring(lineStart);
            if (!tail.isEmpty() && tail.chars().allMatch(Py::isSpace)) {
                return text.substring(0, lineStart);
            }
        }
        return text;
    }

    private void emitText(String text) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Kind.TEXT, text, line));
            line += count(text, '\n');
            lineStarting = text.endsWith("\n");
        }
    }

    private void comment(int tagStart) {
        int end = source.indexOf("#}", pos);
        if (end < 0) {
            throw TemplateException.syntax("missing end of comment tag", line);
        }
        boolean strip = source.charAt(end - 1) == '-' && end - 1 >= pos;
        line += count(source.substring(tagStart, end), '\n');
        pos = end + 2;
        afterTag(strip, true);
    }

    /** {% raw %} ... {% endraw %}: the text between is kept as it is. */
    private boolean raw() {
        int at = skipSpaces(pos);
        if (!source.startsWith("raw", at)) {
            return false;
        }
        int after = skipSpaces(at + 3);
        boolean stripAfterOpen = source.startsWith("-%}", after);
        if (!stripAfterOpen && !source.startsWith("%}", after)) {
            return false;
        }
        pos = after + (stripAfterOpen ? 3 : 2);
        afterTag(stripAfterOpen, true);
        int search = pos;
        while (true) {
            int open = source.indexOf("{%", search);
            if (open < 0) {
                throw TemplateException.syntax("missing endraw for raw block", line);
            }
            int p = open + 2;
            char sign = p < source.length() ? source.charAt(p) : 0;
            int name = skipSpaces(sign == '-' || sign == '+' ? p + 1 : p);
            if (source.startsWith("endraw", name)) {
                int close = skipSpaces(name + 6);
                boolean stripAfterClose = source.startsWith("-%}", close);
                if (stripAfterClose || source.startsWith("%}", close)) {
                    String body = source.substring(pos, open);
                    if (sign == '-') {
                        body = Py.rstrip(body);
                    } else if (sign != '+') {
                        body = lstripBlock(body);
                    }
                    emitText(body);
                    pos = close + (stripAfterClose ? 3 : 2);
                    afterTag(stripAfterClose, true);
                    return true;
                }
            }
            search = open + 2;
        }
    }

    private void expression(Kind begin, Kind end, String closer) {
        tokens.add(new Token(begin, "", line));
        int depth = 0;
        while (true) {
            skipWhitespace();
            if (pos >= source.length()) {
                throw TemplateException.syntax("unexpected end of template, expected '" + closer + "'", line);
            }
            if (depth == 0) {
                if (source.startsWith("-" + closer, pos)) {
                    pos += 3;
                    tokens.add(new Token(end, "", line));
                    afterTag(true, end == Kind.BLOCK_END);
                    return;
                }
                if (source.startsWith(closer, pos)) {
                    pos += 2;
                    tokens.add(new Token(end, "", line));
                    afterTag(false, end == Kind.BLOCK_END);
                    return;
                }
            }
            char c = source.charAt(pos);
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < source.length() && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
                    pos++;
                }
                tokens.add(new Token(Kind.NAME, source.substring(start, pos), line));
            } else if (Character.isDigit(c)) {
                number();
            } else if (c == '\'' || c == '"') {
                string(c);
            } else {
                String op = operatorAt(pos);
                if (op == null) {
                    throw TemplateException.syntax("unexpected character '" + c + "'", line);
                }
                if (op.equals("(") || op.equals("[") || op.equals("{")) {
                    depth++;
                } else if (op.equals(")") || op.equals("]") || op.equals("}")) {
                    depth--;
                    if (depth < 0) {
                        throw TemplateException.syntax("unexpected '" + op + "'", line);
                    }
                }
                tokens.add(new Token(Kind.OPERATOR, op, line));
                pos += op.length();
            }
        }
    }

    /** After a tag: '-' strips all following whitespace; trim_blocks drops one newline after a block. */
    private void afterTag(boolean strip, boolean block) {
        if (strip) {
            int start = pos;
            while (pos < source.length() && Py.isSpace(source.charAt(pos))) {
                pos++;
            }
            line += count(source.substring(start, pos), '\n');
            lineStarting = false;
        } else if (block && pos < source.length() && source.charAt(pos) == '\n') {
            pos++;
            line++;
            lineStarting = true;
        } else {
            lineStarting = false;
        }
    }

    private void number() {
        int start = pos;
        while (pos < source.length() && (Character.isDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
            pos++;
        }
        boolean isFloat = false;
        if (pos + 1 < source.length() && source.charAt(pos) == '.' && Character.isDigit(source.charAt(pos + 1))) {
            isFloat = true;
            pos++;
            while (pos < source.length() && (Character.isDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
                pos++;
            }
        }
        if (pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < source.length() && (source.charAt(pos) == '+' || source.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < source.length() && Character.isDigit(source.charAt(pos))) {
                isFloat = true;
                while (pos < source.length() && Character.isDigit(source.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = mark;
            }
        }
        String text = source.substring(start, pos).replace("_", "");
        tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INTEGER, text, line));
    }

    /** A string literal with Python's unicode-escape rules, as jinja2 decodes them. */
    private void string(char quote) {
        int start = line;
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= source.length()) {
                throw TemplateException.syntax("unterminated string", start);
            }
            char c = source.charAt(pos++);
            if (c == quote) {
                break;
            }
            if (c == '\n') {
                line++;
            }
            if (c != '\\' || pos >= source.length()) {
                value.append(c);
                continue;
            }
            char e = source.charAt(pos++);
            switch (e) {
                case 'n' -> value.append('\n');
                case 't' -> value.append('\t');
                case 'r' -> value.append('\r');
                case '\\' -> value.append('\\');
                case '\'' -> value.append('\'');
                case '"' -> value.append('"');
                case 'a' -> value.append('\u0007');
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'v' -> value.append('\u000b');
                case '\n' -> line++;
                case 'x' -> value.appendCodePoint(hex(2));
                case 'u' -> value.appendCodePoint(hex(4));
                case 'U' -> value.appendCodePoint(hex(8));
                default -> {
                    if (e >= '0' && e <= '7') {
                        int code = e - '0';
                        for (int i = 0; i < 2 && pos < source.length() && source.charAt(pos) >= '0' && source.charAt(pos) <= '7'; i++) {
                            code = code * 8 + (source.charAt(pos++) - '0');
                        }
                        value.append((char) code);
                    } else {
                        value.append('\\').append(e);
                    }
                }
            }
        }
        tokens.add(new Token(Kind.STRING, value.toString(), start));
    }

    private int hex(int digits) {
        if (pos + digits > source.length()) {
            throw TemplateException.syntax("truncated escape in string", line);
        }
        try {
            int code = Integer.parseInt(source.substring(pos, pos + digits), 16);
            pos += digits;
            return code;
        } catch (NumberFormatException e) {
            throw TemplateException.syntax("bad escape in string", line);
        }
    }

    private String operatorAt(int at) {
        for (String op : OPERATORS) {
            if (source.startsWith(op, at)) {
                return op;
            }
        }
        return null;
    }

    private void skipWhitespace() {
        while (pos < source.length() && Py.isSpace(source.charAt(pos))) {
            if (source.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
    }

    private int skipSpaces(int at) {
        while (at < source.length() && Py.isSpace(source.charAt(at))) {
            at++;
        }
        return at;
    }

    private static int count(String text, char c) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
