package dev.kestrel.inference.prompt.jinja;

import dev.kestrel.inference.prompt.jinja.Node.Expr;
import dev.kestrel.inference.prompt.jinja.Node.Stmt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a parsed template. Scopes follow jinja2: a for loop's body has its own scope (so a set inside
 * a loop is not seen after it, which is why templates use namespace()), if blocks do not, and a
 * macro runs in a scope of its own over the scope it was defined in.
 */
final class Renderer {

    /** Lets break and continue unwind to their loop without a stack trace. */
    private static final class LoopSignal extends RuntimeException {
        private final boolean isBreak;

        LoopSignal(boolean isBreak) {
            super(null, null, false, false);
            this.isBreak = isBreak;
        }
    }

    private static final LoopSignal BREAK = new LoopSignal(true);
    private static final LoopSignal CONTINUE = new LoopSignal(false);

    static final class Scope {
        private final Scope parent;
        private final Map<String, Object> vars = new HashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }

        Object lookup(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.vars.containsKey(name)) {
                    return s.vars.get(name);
                }
            }
            return Undefined.name(name);
        }

        void set(String name, Object value) {
            vars.put(name, value);
        }
    }

    private int loopDepth;

    void execute(List<Stmt> body, Scope scope, StringBuilder out) {
        for (Stmt stmt : body) {
            try {
                execute(stmt, scope, out);
            } catch (TemplateException e) {
                throw e.atLine(stmt.line());
            }
        }
    }

    private void execute(Stmt stmt, Scope scope, StringBuilder out) {
        switch (stmt) {
            case Node.Text text -> out.append(text.text());
            case Node.Print print -> out.append(Py.str(eval(print.value(), scope)));
            case Node.If branch -> {
                for (Node.Branch b : branch.branches()) {
                    if (Py.truthy(eval(b.test(), scope))) {
                        execute(b.body(), scope, out);
                        return;
                    }
                }
                execute(branch.orElse(), scope, out);
            }
            case Node.For loop -> forLoop(loop, scope, out);
            case Node.Set set -> assign(set.target(), eval(set.value(), scope), scope);
            case Node.SetBlock block -> assign(block.target(), renderFiltered(block.body(), block.filters(), scope), scope);
            case Node.Macro macro -> scope.set(macro.name(), new MacroFunction(macro, scope));
            case Node.CallBlock call -> {
                MacroFunction caller = new MacroFunction(
                        new Node.Macro("caller", call.parameters(), List.of(), call.body(), call.line()), scope);
                Object callee = eval(call.call().callee(), scope);
                List<Object> args = evalAll(call.call().args(), scope);
                Map<String, Object> kwargs = Filters.kwargs(call.call().keywordNames(), evalAll(call.call().keywordValues(), scope));
                kwargs.put("caller", caller);
                out.append(Py.str(invoke(callee, args, kwargs)));
            }
            case Node.FilterBlock block -> out.append(Py.str(renderFiltered(block.body(), block.filters(), scope)));
            case Node.Break b -> throw BREAK;
            case Node.Continue c -> throw CONTINUE;
        }
    }

    /** A block's output, passed through filters: {@code {% set x | f %}} and {@code {% filter f %}}. */
    private Object renderFiltered(List<Stmt> body, List<Node.FilterCall> filters, Scope scope) {
        StringBuilder captured = new StringBuilder();
        execute(body, scope, captured);
        Object value = captured.toString();
        for (Node.FilterCall filter : filters) {
            value = applyFilter(filter, value, scope);
        }
        return value;
    }

    private void forLoop(Node.For loop, Scope scope, StringBuilder out) {
        List<Object> items = Py.iterate(eval(loop.iterable(), scope));
        Scope body = new Scope(scope);
        if (loop.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                assign(loop.target(), item, body);
                if (Py.truthy(eval(loop.filter(), body))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            execute(loop.orElse(), scope, out);
            return;
        }
        loopDepth++;
        Loop context = new Loop(items, loopDepth);
        try {
            for (int i = 0; i < items.size(); i++) {
                context.moveTo(i);
                assign(loop.target(), items.get(i), body);
                body.set("loop", context);
                try {
                    execute(loop.body(), body, out);
                } catch (LoopSignal signal) {
                    if (signal.isBreak) {
                        break;
                    }
                }
            }
        } finally {
            loopDepth--;
        }
    }

    private void assign(Node.Target target, Object value, Scope scope) {
        switch (target) {
            case Node.NameTarget name -> scope.set(name.name(), value);
            case Node.AttributeTarget attribute -> {
                Object object = scope.lookup(attribute.object());
                if (!(object instanceof Namespace ns)) {
                    throw TemplateException.render("cannot assign attribute on non-namespace object");
                }
                ns.attributes.put(attribute.attribute(), value);
            }
            case Node.TupleTarget tuple -> {
                List<Object> values = Py.iterate(value);
                if (values.size() != tuple.names().size()) {
                    throw TemplateException.render("cannot unpack " + values.size() + " values into " + tuple.names().size() + " names");
                }
                for (int i = 0; i < values.size(); i++) {
                    scope.set(tuple.names().get(i), values.get(i));
                }
            }
        }
    }

    Object eval(Expr expr, Scope scope) {
        return switch (expr) {
            case Expr.Literal literal -> literal.value();
            case Expr.Name name -> scope.lookup(name.name());
            case Expr.ListLiteral list -> Collections.unmodifiableList(evalAll(list.items(), scope));
            case Expr.TupleLiteral tuple -> PyTuple.of(evalAll(tuple.items(), scope));
            case Expr.DictLiteral dict -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < dict.keys().size(); i++) {
                    map.put(eval(dict.keys().get(i), scope), eval(dict.values().get(i), scope));
                }
                yield map;
            }
            case Expr.Attribute attribute -> Py.getattr(eval(attribute.object(), scope), attribute.name());
            case Expr.Item item -> Py.getitem(eval(item.object(), scope), eval(item.key(), scope));
            case Expr.Slice slice -> Py.slice(eval(slice.object(), scope), evalOrNull(slice.start(), scope),
                    evalOrNull(slice.stop(), scope), evalOrNull(slice.step(), scope));
            case Expr.Call call -> invoke(eval(call.callee(), scope), evalAll(call.args(), scope),
                    Filters.kwargs(call.keywordNames(), evalAll(call.keywordValues(), scope)));
            case Expr.Filter filter -> applyFilter(filter.filter(), eval(filter.value(), scope), scope);
            case Expr.Test test -> {
                boolean result = Tests.apply(test.name(), eval(test.value(), scope), evalAll(test.args(), scope));
                yield test.negated() != result;
            }
            case Expr.Unary unary -> {
                Object value = eval(unary.operand(), scope);
                if (unary.operator().equals("-")) {
                    yield Py.negate(value);
                }
                if (value instanceof Undefined u) {
                    throw u.error();
                }
                yield value;
            }
            case Expr.Binary binary -> Py.binary(binary.operator(), eval(binary.left(), scope), eval(binary.right(), scope));
            case Expr.Compare compare -> {
                Object left = eval(compare.first(), scope);
                for (int i = 0; i < compare.operators().size(); i++) {
                    Object right = eval(compare.operands().get(i), scope);
                    if (!compare(compare.operators().get(i), left, right)) {
                        yield false;
                    }
                    left = right;
                }
                yield true;
            }
            case Expr.Concat concat -> {
                StringBuilder text = new StringBuilder();
                for (Expr part : concat.parts()) {
                    text.append(Py.str(eval(part, scope)));
                }
                yield text.toString();
            }
            case Expr.And and -> {
                Object left = eval(and.left(), scope);
                yield Py.truthy(left) ? eval(and.right(), scope) : left;
            }
            case Expr.Or or -> {
                Object left = eval(or.left(), scope);
                yield Py.truthy(left) ? left : eval(or.right(), scope);
            }
            case Expr.Not not -> !Py.truthy(eval(not.operand(), scope));
            case Expr.Conditional conditional -> Py.truthy(eval(conditional.test(), scope))
                    ? eval(conditional.then(), scope)
                    : conditional.orElse() == null ? new Undefined("the inline if-expression evaluated to false and no else section was defined")
                    : eval(conditional.orElse(), scope);
        };
    }

    private static boolean compare(String operator, Object left, Object right) {
        return switch (operator) {
            case "==" -> Py.eq(left, right);
            case "!=" -> !Py.eq(left, right);
            case "<" -> Py.compare(left, right, operator) < 0;
            case "<=" -> Py.compare(left, right, operator) <= 0;
            case ">" -> Py.compare(left, right, operator) > 0;
            case ">=" -> Py.compare(left, right, operator) >= 0;
            case "in" -> Py.contains(right, left);
            case "not in" -> !Py.contains(right, left);
            default -> throw TemplateException.render("unknown comparison " + operator);
        };
    }

    private Object applyFilter(Node.FilterCall filter, Object value, Scope scope) {
        return Filters.apply(filter.name(), value, evalAll(filter.args(), scope),
                Filters.kwargs(filter.keywordNames(), evalAll(filter.keywordValues(), scope)));
    }

    private static Object invoke(Object callee, List<Object> args, Map<String, Object> kwargs) {
        if (callee instanceof Undefined u) {
            throw u.error();
        }
        if (!(callee instanceof JinjaCallable function)) {
            throw TemplateException.render("'" + Py.typeName(callee) + "' object is not callable");
        }
        return function.call(args, kwargs);
    }

    private List<Object> evalAll(List<Expr> exprs, Scope scope) {
        List<Object> values = new ArrayList<>(exprs.size());
        for (Expr e : exprs) {
            values.add(eval(e, scope));
        }
        return values;
    }

    private Object evalOrNull(Expr expr, Scope scope) {
        return expr == null ? null : eval(expr, scope);
    }

    /** A macro: called with positional and keyword arguments, it renders its body to a string. */
    private final class MacroFunction implements JinjaCallable {
        private final Node.Macro macro;
        private final Scope definedIn;

        MacroFunction(Node.Macro macro, Scope definedIn) {
            this.macro = macro;
            this.definedIn = definedIn;
        }

        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            Scope local = new Scope(definedIn);
            List<String> parameters = macro.parameters();
            int firstDefault = parameters.size() - macro.defaults().size();
            Map<String, Object> extraKwargs = new LinkedHashMap<>(kwargs);
            for (int i = 0; i < parameters.size(); i++) {
                String name = parameters.get(i);
                if (i < args.size()) {
                    local.set(name, args.get(i));
                } else if (extraKwargs.containsKey(name)) {
                    local.set(name, extraKwargs.remove(name));
                } else if (i >= firstDefault) {
                    local.set(name, eval(macro.defaults().get(i - firstDefault), local));
                } else {
                    local.set(name, new Undefined("parameter '" + name + "' was not provided"));
                }
            }
            local.set("varargs", PyTuple.of(args.size() > parameters.size() ? args.subList(parameters.size(), args.size()) : List.of()));
            if (extraKwargs.containsKey("caller")) {
                local.set("caller", extraKwargs.remove("caller"));
            }
            local.set("kwargs", extraKwargs);
            StringBuilder out = new StringBuilder();
            int outerDepth = loopDepth;
            loopDepth = 0;
            try {
                execute(macro.body(), local, out);
            } finally {
                loopDepth = outerDepth;
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return "<Macro '" + macro.name() + "'>";
        }
    }
}
