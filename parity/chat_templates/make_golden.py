#!/usr/bin/python3
"""Renders Kestrel's chat-template cases with Python's jinja2 as Hugging Face transformers does.

The environment (models/tooling/kestrel_models/hf_chat.py) is transformers' chat-template
environment; each case renders with messages, tools, documents, add_generation_prompt, the
tokenizer's special tokens and any extra arguments (enable_thinking, ...). Every case, with its
template and context, goes to the golden file the Java tests read:

    /usr/bin/python3 parity/chat_templates/make_golden.py     (Debian's python3-jinja2 >= 3.1)
"""
import json
import os
import sys

import jinja2

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "tooling"))

from kestrel_models.hf_chat import environment  # noqa: E402

TEMPLATES = os.path.join(HERE, "templates")
OUT = os.path.join(ROOT, "inference", "src", "test", "resources", "golden", "chat-templates.json")


def template(name):
    with open(os.path.join(TEMPLATES, name + ".jinja"), encoding="utf-8") as f:
        return f.read()


HELLO = [{"role": "user", "content": "Hello"}]
SYSTEM = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hi there"}]
MULTI_TURN = [
    {"role": "system", "content": "Think step by step."},
    {"role": "user", "content": "What is 2 + 2?"},
    {"role": "assistant", "content": "<think>\nTwo plus two.\n</think>\n\n4"},
    {"role": "user", "content": "And 3 + 3?"},
    {"role": "assistant", "content": "<think>\nThree and three.\n</think>\n\n6"},
    {"role": "user", "content": "Thanks!"},
]
REASONING_FIELD = [
    {"role": "user", "content": "Why?"},
    {"role": "assistant", "content": "Because.", "reasoning_content": "It just is."},
    {"role": "user", "content": "Sure?"},
]
TOOLS = [{
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}]
TOOL_TURNS = [
    {"role": "user", "content": "Weather in Oslo and Rome?"},
    {"role": "assistant", "content": "", "tool_calls": [
        {"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Oslo"}}},
        {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Rome\"}"}},
    ]},
    {"role": "tool", "content": "{\"temp\": -3}"},
    {"role": "tool", "content": "{\"temp\": 18}"},
    {"role": "assistant", "content": "<think>\nCompare.\n</think>\n\nOslo -3, Rome 18."},
    {"role": "user", "content": "<tool_response>not really a tool</tool_response>"},
]
AWKWARD = [
    {"role": "user", "content": "  spaced content \n"},
    {"role": "assistant", "content": "Grüße 世界 🦅 e\u0301 \"quoted\" 'single'\n"},
    {"role": "user", "content": "tabs\tand\nnewlines\n\n"},
]
IMAGE_FIRST = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What is in this image?"}]}]
IMAGE_TURNS = [
    {"role": "user", "content": [{"type": "text", "text": "Compare"}, {"type": "image"}, {"type": "image"}]},
    {"role": "assistant", "content": [{"type": "text", "text": " Two cats."}]},
    {"role": "user", "content": [{"type": "text", "text": "Which is bigger?"}]},
]

QWEN3_TOKENS = {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"}
LLAMA3_TOKENS = {"bos_token": "<|begin_of_text|>", "eos_token": "<|end_of_text|>"}
SMOLVLM_TOKENS = {"bos_token": "<|im_start|>", "eos_token": "<end_of_utterance>", "pad_token": "<|im_end|>", "unk_token": "<|endoftext|>"}
FEATURE_TOKENS = {"bos_token": "<s>", "eos_token": "</s>"}


def cases():
    for messages_name, messages in [("hello", HELLO), ("system", SYSTEM), ("multi-turn", MULTI_TURN),
                                    ("reasoning-field", REASONING_FIELD), ("awkward", AWKWARD)]:
        for thinking in (True, False, None):
            yield f"qwen3/{messages_name}/think-{thinking}", "qwen3", messages, True, QWEN3_TOKENS, thinking, {}
    yield "qwen3/tools/think-True", "qwen3", TOOL_TURNS, True, QWEN3_TOKENS, True, {"tools": TOOLS}
    yield "qwen3/tools-no-prompt", "qwen3", TOOL_TURNS, False, QWEN3_TOKENS, None, {"tools": TOOLS}
    yield "qwen3/no-generation-prompt", "qwen3", MULTI_TURN[:3], False, QWEN3_TOKENS, False, {}
    for messages_name, messages in [("hello", HELLO), ("system", SYSTEM), ("multi-turn", MULTI_TURN), ("awkward", AWKWARD)]:
        yield f"llama3/{messages_name}", "llama3", messages, True, LLAMA3_TOKENS, None, {}
    yield "smolvlm/image-first", "smolvlm", IMAGE_FIRST, True, SMOLVLM_TOKENS, None, {}
    yield "smolvlm/image-turns", "smolvlm", IMAGE_TURNS, True, SMOLVLM_TOKENS, None, {}
    yield "smolvlm/no-generation-prompt", "smolvlm", IMAGE_TURNS, False, SMOLVLM_TOKENS, None, {}
    for feature in ("whitespace", "values", "operators", "strings", "filters", "control", "tests"):
        yield f"features/{feature}", feature, MULTI_TURN, True, FEATURE_TOKENS, None, {}
    yield "features/arguments", "arguments", SYSTEM, True, FEATURE_TOKENS, True, {"tools": TOOLS, "date_string": "26 Jul 2024"}
    yield "features/arguments-bare", "arguments", HELLO, False, {}, None, {}
    yield "errors/raise-exception", "raises", [{"role": "user", "content": "hi"}, {"role": "robot", "content": "beep"}], True, {}, None, {}
    yield "errors/raise-exception-passes", "raises", SYSTEM, True, {}, None, {}
    yield "errors/undefined-attribute", "undefined-attribute", HELLO, True, {}, None, {}


def main():
    env = environment()
    out = []
    for name, template_name, messages, add_generation_prompt, special_tokens, thinking, extra in cases():
        source = template(template_name)
        context = {"messages": messages, "tools": None, "documents": None, "add_generation_prompt": add_generation_prompt}
        context.update(special_tokens)
        if thinking is not None:
            context["enable_thinking"] = thinking
        context.update(extra)
        case = {"name": name, "template": template_name + ".jinja", "source": source, "context": context}
        try:
            case["expected"] = env.from_string(source).render(**context)
        except jinja2.exceptions.TemplateError as e:
            case["error"] = {"type": type(e).__name__, "message": str(e)}
        out.append(case)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"about": "Chat templates rendered by Python jinja2 " + jinja2.__version__
                   + " in transformers' environment; made by parity/chat_templates/make_golden.py",
                   "cases": out}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(out)} cases to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
