package dev.kestrel.inference.prompt.jinja;

/** A template-side object with named attributes, such as {@code loop} or a cycler. */
interface JinjaObject {

    Object attribute(String name);
}
