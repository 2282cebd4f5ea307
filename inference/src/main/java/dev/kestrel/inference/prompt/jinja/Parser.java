package dev.kestrel.inference.prompt.jinja;

import dev.kestrel.inference.prompt.jinja.Lexer.Kind;
import dev.kestrel.inference.prompt.jinja.Lexer.Token;
import dev.kestrel.inference.prompt.jinja.Node.Expr;
import dev.kestrel.inference.prompt.jinja.Node.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the syntax tree, with jinja2's grammar and operator precedence: conditional, or, and,
 * not, comparisons, + and -, ~, * / // %, **, unary - and +, then postfix attribute, subscript,
 * call, filter and test.
 */
final class Parser {

    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final List<Token> tokens;
    private int at;
    private boolean inLoop;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Stmt> parse(String template) {
        Parser parser = new Parser(Lexer.tokenize(template));
        List<Stmt> body = parser.statements(Set.of());
        parser.expect(Kind.EOF);
        return body;
    }

    // -- statements ----------------------------------------------------------------------------

    /** Statements until a block tag whose name is in {@code ends} (left unconsumed), or the end. */
    private List<Stmt> statements(Set<String> ends) {
        List<Stmt> body = new ArrayList<>();
        while (true) {
            Token token = peek();
            switch (token.kind()) {
                case EOF -> {
                    if (!ends.isEmpty()) {
                        throw TemplateException.syntax("unexpected end of template; expected one of " + ends, token.line());
                    }
                    return body;
                }
                case TEXT -> {
                    next();
                    body.add(new Node.Text(token.value(), token.line()));
                }
                case VARIABLE_BEGIN -> {
                    next();
                    Expr value = expression();
                    expect(Kind.VARIABLE_END);
                    body.add(new Node.Print(value, token.line()));
                }
                case BLOCK_BEGIN -> {
                    Token name = tokens.get(at + 1);
                    if (name.kind() == Kind.NAME && ends.contains(name.value())) {
                        return body;
                    }
                    next();
                    body.add(block());
                }
                default -> throw TemplateException.syntax("unexpected '" + token.value() + "'", token.line());
            }
        }
    }

    private Stmt block() {
        Token name = expect(Kind.NAME);
        int line = name.line();
        return switch (name.value()) {
            case "if" -> ifBlock(line);
            case "for" -> forBlock(line);
            case "set" -> setBlock(line);
            case "macro" -> macroBlock(line);
            case "call" -> callBlock(line);
            case "filter" -> filterBlock(line);
            case "generation" -> {
                // Hugging Face's AssistantTracker: renders its body; only token masks care about it.
                expect(Kind.BLOCK_END);
                List<Stmt> body = statements(Set.of("endgeneration"));
                endTag("endgeneration");
                yield new Node.If(List.of(new Node.Branch(new Expr.Literal(true, line), body)), List.of(), line);
            }
            case "break", "continue" -> {
                if (!inLoop) {
                    throw TemplateException.syntax("'" + name.value() + "' outside of a loop", line);
                }
                expect(Kind.BLOCK_END);
                yield name.value().equals("break") ? new Node.Break(line) : new Node.Continue(line);
            }
            case "include", "import", "from", "extends", "block" ->
                    throw TemplateException.syntax("'" + name.value() + "' is not available in chat templates", line);
            default -> throw TemplateException.syntax("unknown tag '" + name.value() + "'", line);
        };
    }

    private Stmt ifBlock(int line) {
        List<Node.Branch> branches = new ArrayList<>();
        Expr test = expression();
        expect(Kind.BLOCK_END);
        List<Stmt> body = statements(Set.of("elif", "else", "endif"));
        branches.add(new Node.Branch(test, body));
        List<Stmt> orElse = List.of();
        while (true) {
            expect(Kind.BLOCK_BEGIN);
            Token tag = expect(Kind.NAME);
            if (tag.value().equals("elif")) {
                Expr elifTest = expression();
                expect(Kind.BLOCK_END);
                branches.add(new Node.Branch(elifTest, statements(Set.of("elif", "else", "endif"))));
            } else if (tag.value().equals("else")) {
                expect(Kind.BLOCK_END);
                orElse = statements(Set.of("endif"));
                endTag("endif");
                break;
            } else {
                expect(Kind.BLOCK_END);
                break;
            }
        }
        return new Node.If(branches, orElse, line);
    }

    private Stmt forBlock(int line) {
        Node.Target target = assignTarget(false);
        expectName("in");
        Expr iterable = or();
        Expr filter = null;
        if (peek().isName("if")) {
            next();
            filter = expression();
        }
        if (peek().isName("recursive")) {
            throw TemplateException.syntax("recursive loops are not supported", line);
        }
        expect(Kind.BLOCK_END);
        boolean outer = inLoop;
        inLoop = true;
        List<Stmt> body = statements(Set.of("else", "endfor"));
        inLoop = outer;
        List<Stmt> orElse = List.of();
        expect(Kind.BLOCK_BEGIN);
        Token tag = expect(Kind.NAME);
        if (tag.value().equals("else")) {
            expect(Kind.BLOCK_END);
            orElse = statements(Set.of("endfor"));
            endTag("endfor");
        } else {
            expect(Kind.BLOCK_END);
        }
        return new Node.For(target, iterable, filter, body, orElse, line);
    }

    private Stmt setBlock(int line) {
        Node.Target target = assignTarget(true);
        if (peek().isOperator("=")) {
            next();
            Expr value = expressionOrTuple();
            expect(Kind.BLOCK_END);
            return new Node.Set(target, value, line);
        }
        List<Node.FilterCall> filters = new ArrayList<>();
        while (peek().isOperator("|")) {
            next();
            filters.add(filterCall());
        }
        expect(Kind.BLOCK_END);
        List<Stmt> body = statements(Set.of("endset"));
        endTag("endset");
        return new Node.SetBlock(target, body, filters, line);
    }

    private Stmt macroBlock(int line) {
        String name = expect(Kind.NAME).value();
        List<String> parameters = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        parameterList(parameters, defaults);
        expect(Kind.BLOCK_END);
        boolean outer = inLoop;
        inLoop = false;
        List<Stmt> body = statements(Set.of("endmacro"));
        inLoop = outer;
        endTag("endmacro");
        return new Node.Macro(name, parameters, defaults, body, line);
    }

    private Stmt callBlock(int line) {
        List<String> parameters = new ArrayList<>();
        if (peek().isOperator("(")) {
            parameterList(parameters, new ArrayList<>());
        }
        Expr call = expression();
        if (!(call instanceof Expr.Call c)) {
            throw TemplateException.syntax("expected a call after 'call'", line);
        }
        expect(Kind.BLOCK_END);
        List<Stmt> body = statements(Set.of("endcall"));
        endTag("endcall");
        return new Node.CallBlock(c, parameters, body, line);
    }

    private Stmt filterBlock(int line) {
        List<Node.FilterCall> filters = new ArrayList<>();
        filters.add(filterCall());
        while (peek().isOperator("|")) {
            next();
            filters.add(filterCall());
        }
        expect(Kind.BLOCK_END);
        List<Stmt> body = statements(Set.of("endfilter"));
        endTag("endfilter");
        return new Node.FilterBlock(filters, body, line);
    }

    private void parameterList(List<String> names, List<Expr> defaults) {
        expectOperator("(");
        while (!peek().isOperator(")")) {
            if (!names.isEmpty()) {
                expectOperator(",");
                if (peek().isOperator(")")) {
                    break;
                }
            }
            String name = expect(Kind.NAME).value();
            names.add(name);
            if (peek().isOperator("=")) {
                next();
                defaults.add(expression());
            } else if (!defaults.isEmpty()) {
                throw TemplateException.syntax("non-default argument follows default argument", peek().line());
            }
        }
        expectOperator(")");
    }

    private Node.Target assignTarget(boolean allowAttribute) {
        String first = expect(Kind.NAME).value();
        if (allowAttribute && peek().isOperator(".")) {
            next();
            return new Node.AttributeTarget(first, expect(Kind.NAME).value());
        }
        if (!peek().isOperator(",")) {
            return new Node.NameTarget(first);
        }
        List<String> names = new ArrayList<>(List.of(first));
        while (peek().isOperator(",")) {
            next();
            names.add(expect(Kind.NAME).value());
        }
        return new Node.TupleTarget(names);
    }

    private void endTag(String name) {
        expect(Kind.BLOCK_BEGIN);
        expectName(name);
        expect(Kind.BLOCK_END);
    }

    // -- expressions ---------------------------------------------------------------------------

    /** An expression, or a bare tuple {@code a, b} as {@code set} allows. */
    private Expr expressionOrTuple() {
        int line = peek().line();
        Expr first = expression();
        if (!peek().isOperator(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>(List.of(first));
        while (peek().isOperator(",")) {
            next();
            items.add(expression());
        }
        return new Expr.TupleLiteral(items, line);
    }

    Expr expression() {
        int line = peek().line();
        Expr value = or();
        while (peek().isName("if")) {
            next();
            Expr test = or();
            Expr orElse = null;
            if (peek().isName("else")) {
                next();
                orElse = expression();
            }
            value = new Expr.Conditional(test, value, orElse, line);
        }
        return value;
    }

    private Expr or() {
        Expr left = and();
        while (peek().isName("or")) {
            int line = next().line();
            left = new Expr.Or(left, and(), line);
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().isName("and")) {
            int line = next().line();
            left = new Expr.And(left, not(), line);
        }
        return left;
    }

    private Expr not() {
        if (peek().isName("not")) {
            int line = next().line();
            return new Expr.Not(not(), line);
        }
        return compare();
    }

    private Expr compare() {
        int line = peek().line();
        Expr first = math1();
        List<String> operators = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token token = peek();
            if (token.kind() == Kind.OPERATOR && COMPARISONS.contains(token.value())) {
                next();
                operators.add(token.value());
                operands.add(math1());
            } else if (token.isName("in")) {
                next();
                operators.add("in");
                operands.add(math1());
            } else if (token.isName("not") && tokens.get(at + 1).isName("in")) {
                next();
                next();
                operators.add("not in");
                operands.add(math1());
            } else {
                break;
            }
        }
        return operators.isEmpty() ? first : new Expr.Compare(first, operators, operands, line);
    }

    private Expr math1() {
        Expr left = concat();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token op = next();
            left = new Expr.Binary(op.value(), left, concat(), op.line());
        }
        return left;
    }

    private Expr concat() {
        int line = peek().line();
        List<Expr> parts = new ArrayList<>(List.of(math2()));
        while (peek().isOperator("~")) {
            next();
            parts.add(math2());
        }
        return parts.size() == 1 ? parts.getFirst() : new Expr.Concat(parts, line);
    }

    private Expr math2() {
        Expr left = pow();
        while (peek().isOperator("*") || peek().isOperator("/") || peek().isOperator("//") || peek().isOperator("%")) {
            Token op = next();
            left = new Expr.Binary(op.value(), left, pow(), op.line());
        }
        return left;
    }

    private Expr pow() {
        Expr left = unary(true);
        while (peek().isOperator("**")) {
            Token op = next();
            left = new Expr.Binary("**", left, unary(true), op.line());
        }
        return left;
    }

    private Expr unary(boolean withFilters) {
        Token token = peek();
        Expr value;
        if (token.isOperator("-") || token.isOperator("+")) {
            next();
            value = new Expr.Unary(token.value(), unary(false), token.line());
        } else {
            value = postfix(primary());
        }
        return withFilters ? filters(value) : value;
    }

    private Expr primary() {
        Token token = next();
        int line = token.line();
        switch (token.kind()) {
            case STRING -> {
                StringBuilder text = new StringBuilder(token.value());
                while (peek().kind() == Kind.STRING) { // adjacent literals concatenate
                    text.append(next().value());
                }
                return new Expr.Literal(text.toString(), line);
            }
            case INTEGER -> {
                try {
                    return new Expr.Literal(Long.parseLong(token.value()), line);
                } catch (NumberFormatException e) {
                    throw TemplateException.syntax("integer too large: " + token.value(), line);
                }
            }
            case FLOAT -> {
                return new Expr.Literal(Double.parseDouble(token.value()), line);
            }
            case NAME -> {
                return switch (token.value()) {
                    case "true", "True" -> new Expr.Literal(true, line);
                    case "false", "False" -> new Expr.Literal(false, line);
                    case "none", "None" -> new Expr.Literal(null, line);
                    default -> new Expr.Name(token.value(), line);
                };
            }
            case OPERATOR -> {
                switch (token.value()) {
                    case "(" -> {
                        if (peek().isOperator(")")) {
                            next();
                            return new Expr.TupleLiteral(List.of(), line);
                        }
                        Expr first = expression();
                        if (peek().isOperator(")")) {
                            next();
                            return first;
                        }
                        List<Expr> items = new ArrayList<>(List.of(first));
                        while (peek().isOperator(",")) {
                            next();
                            if (peek().isOperator(")")) {
                                break;
                            }
                            items.add(expression());
                        }
                        expectOperator(")");
                        return new Expr.TupleLiteral(items, line);
                    }
                    case "[" -> {
                        List<Expr> items = new ArrayList<>();
                        while (!peek().isOperator("]")) {
                            if (!items.isEmpty()) {
                                expectOperator(",");
                                if (peek().isOperator("]")) {
                                    break;
                                }
                            }
                            items.add(expression());
                        }
                        expectOperator("]");
                        return new Expr.ListLiteral(items, line);
                    }
                    case "{" -> {
                        List<Expr> keys = new ArrayList<>();
                        List<Expr> values = new ArrayList<>();
                        while (!peek().isOperator("}")) {
                            if (!keys.isEmpty()) {
                                expectOperator(",");
                                if (peek().isOperator("}")) {
                                    break;
                                }
                            }
                            keys.add(expression());
                            expectOperator(":");
                            values.add(expression());
                        }
                        expectOperator("}");
                        return new Expr.DictLiteral(keys, values, line);
                    }
                    default -> throw TemplateException.syntax("unexpected '" + token.value() + "'", line);
                }
            }
            default -> throw TemplateException.syntax("unexpected " + describe(token), line);
        }
    }

    private Expr postfix(Expr value) {
        while (true) {
            Token token = peek();
            if (token.isOperator(".")) {
                next();
                Token name = next();
                if (name.kind() == Kind.NAME) {
                    value = new Expr.Attribute(value, name.value(), name.line());
                } else if (name.kind() == Kind.INTEGER) {
                    value = new Expr.Item(value, new Expr.Literal(Long.parseLong(name.value()), name.line()), name.line());
                } else {
                    throw TemplateException.syntax("expected a name after '.'", name.line());
                }
            } else if (token.isOperator("[")) {
                next();
                value = subscript(value, token.line());
            } else if (token.isOperator("(")) {
                value = call(value);
            } else {
                return value;
            }
        }
    }

    private Expr subscript(Expr value, int line) {
        Expr start = null;
        Expr stop = null;
        Expr step = null;
        boolean slice = false;
        if (!peek().isOperator(":")) {
            start = expression();
        }
        if (peek().isOperator(":")) {
            slice = true;
            next();
            if (!peek().isOperator("]") && !peek().isOperator(":")) {
                stop = expression();
            }
            if (peek().isOperator(":")) {
                next();
                if (!peek().isOperator("]")) {
                    step = expression();
                }
            }
        }
        expectOperator("]");
        return slice ? new Expr.Slice(value, start, stop, step, line) : new Expr.Item(value, start, line);
    }

    private Expr.Call call(Expr callee) {
        int line = expectOperator("(").line();
        List<Expr> args = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        arguments(args, names, values);
        return new Expr.Call(callee, args, names, values, line);
    }

    /** Positional and keyword arguments up to and including the closing parenthesis. */
    private void arguments(List<Expr> args, List<String> names, List<Expr> values) {
        boolean first = true;
        while (!peek().isOperator(")")) {
            if (!first) {
                expectOperator(",");
                if (peek().isOperator(")")) {
                    break;
                }
            }
            first = false;
            if (peek().kind() == Kind.NAME && tokens.get(at + 1).isOperator("=")) {
                names.add(next().value());
                next();
                values.add(expression());
            } else {
                if (!names.isEmpty()) {
                    throw TemplateException.syntax("positional argument after keyword argument", peek().line());
                }
                args.add(expression());
            }
        }
        expectOperator(")");
    }

    private Expr filters(Expr value) {
        while (true) {
            Token token = peek();
            if (token.isOperator("|")) {
                next();
                value = new Expr.Filter(value, filterCall(), token.line());
            } else if (token.isName("is")) {
                next();
                boolean negated = false;
                if (peek().isName("not")) {
                    next();
                    negated = true;
                }
                Token name = next();
                String testName = switch (name.kind()) {
                    case NAME -> name.value();
                    case OPERATOR -> name.value(); // "is ==", "is <" ...
                    default -> throw TemplateException.syntax("expected a test name after 'is'", name.line());
                };
                if (testName.equals("none") || testName.equals("true") || testName.equals("false")) {
                    testName = testName.toLowerCase(java.util.Locale.ROOT);
                } else if (testName.equals("None") || testName.equals("True") || testName.equals("False")) {
                    testName = testName.toLowerCase(java.util.Locale.ROOT);
                }
                if (!Tests.exists(testName)) {
                    throw TemplateException.syntax("no test named '" + testName + "'", name.line());
                }
                List<Expr> args = new ArrayList<>();
                if (peek().isOperator("(")) {
                    next();
                    arguments(args, new ArrayList<>(), new ArrayList<>());
                } else if (startsTestArgument(peek())) {
                    args.add(postfix(primary()));
                }
                value = new Expr.Test(value, testName, args, negated, token.line());
            } else {
                return value;
            }
        }
    }

    /** jinja2 lets a test take one argument without parentheses: {@code x is divisibleby 3}. */
    private static boolean startsTestArgument(Token token) {
        return switch (token.kind()) {
            case STRING, INTEGER, FLOAT -> true;
            case NAME -> !Set.of("else", "or", "and", "is", "in", "not", "if").contains(token.value());
            case OPERATOR -> token.value().equals("[") || token.value().equals("{");
            default -> false;
        };
    }

    private Node.FilterCall filterCall() {
        Token name = expect(Kind.NAME);
        String filterName = name.value();
        while (peek().isOperator(".")) { // dotted filter names exist in jinja2; none are ours
            next();
            filterName += "." + expect(Kind.NAME).value();
        }
        if (!Filters.exists(filterName)) {
            throw TemplateException.syntax("no filter named '" + filterName + "'", name.line());
        }
        List<Expr> args = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        if (peek().isOperator("(")) {
            next();
            arguments(args, names, values);
        }
        return new Node.FilterCall(filterName, args, names, values);
    }

    // -- tokens --------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        return tokens.get(at++);
    }

    private Token expect(Kind kind) {
        Token token = next();
        if (token.kind() != kind) {
            throw TemplateException.syntax("expected " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " but found " + describe(token), token.line());
        }
        return token;
    }

    private void expectName(String name) {
        Token token = next();
        if (!token.isName(name)) {
            throw TemplateException.syntax("expected '" + name + "' but found " + describe(token), token.line());
        }
    }

    private Token expectOperator(String operator) {
        Token token = next();
        if (!token.isOperator(operator)) {
            throw TemplateException.syntax("expected '" + operator + "' but found " + describe(token), token.line());
        }
        return token;
    }

    private static String describe(Token token) {
        return switch (token.kind()) {
            case EOF -> "the end of the template";
            case BLOCK_END -> "'%}'";
            case VARIABLE_END -> "'}}'";
            case BLOCK_BEGIN -> "'{%'";
            case VARIABLE_BEGIN -> "'{{'";
            case TEXT -> "text";
            case STRING -> "a string";
            default -> "'" + token.value() + "'";
        };
    }
}
