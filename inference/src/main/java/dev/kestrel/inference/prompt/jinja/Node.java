package dev.kestrel.inference.prompt.jinja;

import java.util.List;

/** The syntax tree of a template: statements that write output, and expressions that compute values. */
sealed interface Node {

    int line();

    // -- statements --------------------------------------------------------------------------

    sealed interface Stmt extends Node {}

    record Text(String text, int line) implements Stmt {}

    record Print(Expr value, int line) implements Stmt {}

    record If(List<Branch> branches, List<Stmt> orElse, int line) implements Stmt {}

    record Branch(Expr test, List<Stmt> body) {}

    /** {@code for target in iterable [if filter]}; {@code orElse} runs when nothing was iterated. */
    record For(Target target, Expr iterable, Expr filter, List<Stmt> body, List<Stmt> orElse, int line) implements Stmt {}

    record Set(Target target, Expr value, int line) implements Stmt {}

    /** {@code {% set name %}...{% endset %}}, optionally through filters. */
    record SetBlock(Target target, List<Stmt> body, List<FilterCall> filters, int line) implements Stmt {}

    record Macro(String name, List<String> parameters, List<Expr> defaults, List<Stmt> body, int line) implements Stmt {}

    /** {@code {% call name(args) %}body{% endcall %}}: the body becomes the callee's {@code caller()}. */
    record CallBlock(Expr.Call call, List<String> parameters, List<Stmt> body, int line) implements Stmt {}

    record FilterBlock(List<FilterCall> filters, List<Stmt> body, int line) implements Stmt {}

    record Break(int line) implements Stmt {}

    record Continue(int line) implements Stmt {}

    // -- assignment targets ------------------------------------------------------------------

    sealed interface Target {}

    record NameTarget(String name) implements Target {}

    record AttributeTarget(String object, String attribute) implements Target {}

    record TupleTarget(List<String> names) implements Target {}

    // -- expressions -------------------------------------------------------------------------

    sealed interface Expr extends Node {

        record Literal(Object value, int line) implements Expr {}

        record Name(String name, int line) implements Expr {}

        record ListLiteral(List<Expr> items, int line) implements Expr {}

        record TupleLiteral(List<Expr> items, int line) implements Expr {}

        record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr {}

        record Attribute(Expr object, String name, int line) implements Expr {}

        record Item(Expr object, Expr key, int line) implements Expr {}

        record Slice(Expr object, Expr start, Expr stop, Expr step, int line) implements Expr {}

        record Call(Expr callee, List<Expr> args, List<String> keywordNames, List<Expr> keywordValues, int line) implements Expr {}

        record Filter(Expr value, FilterCall filter, int line) implements Expr {}

        record Test(Expr value, String name, List<Expr> args, boolean negated, int line) implements Expr {}

        record Unary(String operator, Expr operand, int line) implements Expr {}

        record Binary(String operator, Expr left, Expr right, int line) implements Expr {}

        /** {@code a < b <= c}: each comparison against the previous operand, all must hold. */
        record Compare(Expr first, List<String> operators, List<Expr> operands, int line) implements Expr {}

        record Concat(List<Expr> parts, int line) implements Expr {}

        record And(Expr left, Expr right, int line) implements Expr {}

        record Or(Expr left, Expr right, int line) implements Expr {}

        record Not(Expr operand, int line) implements Expr {}

        /** {@code then if test else orElse}; without else, a false test gives undefined. */
        record Conditional(Expr test, Expr then, Expr orElse, int line) implements Expr {}
    }

    record FilterCall(String name, List<Expr> args, List<String> keywordNames, List<Expr> keywordValues) {}
}
