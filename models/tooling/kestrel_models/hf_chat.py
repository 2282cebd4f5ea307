"""Chat templates rendered as Hugging Face transformers' apply_chat_template renders them.

transformers compiles chat templates in an ImmutableSandboxedEnvironment with trim_blocks and
lstrip_blocks, the loopcontrols extension and its own `generation` tag, replaces `tojson` with plain
json.dumps(ensure_ascii=False, ...), and adds the globals raise_exception and strftime_now.
"""
from __future__ import annotations

import datetime
import json

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment


class GenerationTag(Extension):
    """The `{% generation %}` tag of transformers' AssistantTracker: renders its body."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def environment() -> ImmutableSandboxedEnvironment:
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return datetime.datetime.now().strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[GenerationTag, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render(template: str, messages, add_generation_prompt: bool, special_tokens: dict, **kwargs) -> str:
    """apply_chat_template(messages, tokenize=False, add_generation_prompt=..., **kwargs)."""
    context = {"messages": messages, "tools": None, "documents": None, "add_generation_prompt": add_generation_prompt}
    context.update(special_tokens)
    context.update(kwargs)
    return environment().from_string(template).render(**context)
