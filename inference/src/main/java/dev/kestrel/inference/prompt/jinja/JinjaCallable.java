package dev.kestrel.inference.prompt.jinja;

import java.util.List;
import java.util.Map;

/** Something a template can call: a global function, a macro, a bound method. */
@FunctionalInterface
interface JinjaCallable {

    Object call(List<Object> args, Map<String, Object> kwargs);
}
