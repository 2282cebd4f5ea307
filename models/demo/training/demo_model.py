"""What the demo model is: its dimensions, tokenizer, chat template and the token sequences it learns.

Shared by train.py, export.py and the tests so that training and the exported folder cannot
disagree. The layout is SmolVLM's (model_type idefics3, onnx-community files); the dimensions are
small enough for a CPU to train in an hour or two:

  vision   one 256 x 256 frame of 16 x 16 patches, hidden 128, 4 layers; pixel shuffle 2 -> 64 tokens
           (32-pixel patches read no text: 8% of characters after 200k pictures; ADR 0010 section 6)
  images   resized to 256 on the long edge, then to 256 x 256 (SmolVLM's processor with 256-pixel tiles)
  decoder  Llama, hidden 256, 6 layers, 4 query and 2 key/value heads of 64
  tokens   byte-level BPE, every digit its own token, a few hundred merges of the tasks' words

The chat template is ChatML with a thinking switch in Qwen3's manner: with enable_thinking false the
generation prompt ends in an empty `<think>\\n\\n</think>\\n\\n`; otherwise the model opens the block
itself. Kestrel stops a thinking block at a budget by writing the early-stop text, `</think>` and a
blank line (ThinkingTokens.java); the model is trained on such cut-short blocks too.
"""
from __future__ import annotations

import os
import sys

import regex

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "tooling"))

from kestrel_models.bpe import DIGITS_SPLIT, ByteLevelBpe  # noqa: E402
from kestrel_models.decoder import DecoderConfig  # noqa: E402
from kestrel_models.hf_chat import environment  # noqa: E402
from kestrel_models.idefics3_files import preprocessor_config  # noqa: E402
from kestrel_models.idefics3_image import FAKE, GLOBAL, IMAGE  # noqa: E402
from kestrel_models.idefics3_vision import VisionConfig  # noqa: E402

import tasks  # noqa: E402

VISION = VisionConfig(hidden_size=128, image_size=256, patch_size=16, num_hidden_layers=4, num_attention_heads=2,
                      intermediate_size=512, scale_factor=2, text_hidden_size=256)
LONGEST_EDGE = 256
PREPROCESSOR = preprocessor_config(VISION, LONGEST_EDGE)
CONTEXT = 2048

PAD, START, END = "<|endoftext|>", "<|im_start|>", "<|im_end|>"
THINK, UNTHINK = "<think>", "</think>"
ROW_COL = [f"<row_{r}_col_{c}>" for r in range(1, 7) for c in range(1, 7)]
SPECIAL = [PAD, START, END, THINK, UNTHINK, FAKE, IMAGE, GLOBAL, *ROW_COL]
TOKENS = {"bos_token": START, "eos_token": END, "pad_token": PAD}
MERGES = 300

# Kestrel's words for a thinking block cut short (ThinkingTokens.EARLY_STOP_TEXT, from the Qwen3 report).
EARLY_STOP_TEXT = "Considering the limited time by the user, I have to give the solution based on the thinking directly now."

TEMPLATE = (
    "{%- for message in messages -%}\n"
    "{{- '<|im_start|>' + message['role'] + '\\n' -}}\n"
    "{%- if message['content'] is string -%}\n"
    "{%- set content = message['content'] -%}\n"
    "{%- else -%}\n"
    "{%- set content = namespace(text='') -%}\n"
    "{%- for part in message['content'] -%}\n"
    "{%- if part['type'] == 'image' -%}{%- set content.text = content.text + '<image>' -%}\n"
    "{%- elif part['type'] == 'text' -%}{%- set content.text = content.text + part['text'] -%}{%- endif -%}\n"
    "{%- endfor -%}\n"
    "{%- set content = content.text -%}\n"
    "{%- endif -%}\n"
    "{%- if message['role'] == 'assistant' and '</think>' in content -%}\n"
    "{%- set content = content.split('</think>')[-1].lstrip('\\n') -%}\n"
    "{%- endif -%}\n"
    "{{- content + '<|im_end|>\\n' -}}\n"
    "{%- endfor -%}\n"
    "{%- if add_generation_prompt -%}\n"
    "{{- '<|im_start|>assistant\\n' -}}\n"
    "{%- if enable_thinking is defined and enable_thinking is false -%}{{- '<think>\\n\\n</think>\\n\\n' -}}{%- endif -%}\n"
    "{%- endif -%}\n"
)
_COMPILED = environment().from_string(TEMPLATE)


def decoder_config(vocab_size: int) -> DecoderConfig:
    return DecoderConfig(vocab_size=vocab_size, hidden_size=256, intermediate_size=768, num_hidden_layers=6,
                         num_attention_heads=4, num_key_value_heads=2, head_dim=64, max_position_embeddings=CONTEXT,
                         rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False, model_type="llama")


def messages(case: tasks.Case) -> list[dict]:
    """The case's single user turn, in content-as-parts form, the image before the question."""
    parts = ([{"type": "image"}] if case.image is not None else []) + [{"type": "text", "text": case.question}]
    return [{"role": "user", "content": parts}]


def prompt(case: tasks.Case, thinking: bool) -> str:
    """apply_chat_template(messages, add_generation_prompt=True, enable_thinking=thinking)."""
    return _COMPILED.render(messages=messages(case), tools=None, documents=None, add_generation_prompt=True,
                            enable_thinking=thinking, **TOKENS)


def corpus() -> list[str]:
    """What the BPE merges are learned from: the tasks' fixed words, never the random strings to read."""
    texts = [tasks.INTRODUCTION, EARLY_STOP_TEXT, "What does the text say?", "How many shapes are there?",
             "user", "assistant", "system"]
    texts += [f"What color is the {s}? How many {s}s are there? {c}" for s in tasks.SHAPES for c in tasks.PALETTE]
    texts += list(tasks.GREETINGS) + [f"{p}: write, carry" for p in tasks.PLACES] + ["What is + ?", "+ = , write carry"]
    return texts * 3


def tokenizer() -> ByteLevelBpe:
    """Deterministic: the same merges every time, so training and export agree without sharing files."""
    bpe = ByteLevelBpe.train(corpus(), merges=MERGES, special_tokens=SPECIAL, split=DIGITS_SPLIT)
    for a, b in bpe.merges:
        joined = a + b
        assert not regex.fullmatch(r"[A-Z0-9]{2,}", joined), f"a merge joins characters the text task reads: {joined}"
    return bpe


class Sequences:
    """Token ids of training sequences, with the positions that count towards the loss."""

    def __init__(self, bpe: ByteLevelBpe):
        self.bpe = bpe
        self.end = bpe.vocab[END]
        self.think = bpe.vocab[THINK]
        self.unthink = bpe.vocab[UNTHINK]
        self.early_stop = bpe.encode("\n\n" + EARLY_STOP_TEXT + "\n")
        self.blank = bpe.encode("\n\n")

    def build(self, prompt_text: str, case: tasks.Case, mode: str, cut: float = 0.0) -> tuple[list[int], list[bool]]:
        """(ids, scored) for the prompt (expanded already) and its reply. mode: "off" (the prompt holds the empty
        thinking block), "think" (the model opens the block: the scratchpad, or nothing for tasks without one) or
        "budget" (the scratchpad cut after a fraction `cut` of its tokens, then what Kestrel forces, unscored)."""
        ids = self.bpe.encode(prompt_text)
        scored = [False] * len(ids)

        def add(tokens, score=True):
            ids.extend(tokens)
            scored.extend([score] * len(tokens))

        if mode != "off":
            thought = self.bpe.encode("\n" + case.thinking + "\n") if case.thinking else self.blank
            add([self.think])
            if mode == "budget":
                kept = max(1, min(len(thought) - 1, round(cut * len(thought))))
                add(thought[:kept])
                add(self.early_stop + [self.unthink] + self.blank, score=False)
            else:
                add(thought + [self.unthink] + self.blank)
        add(self.bpe.encode(case.answer) + [self.end])
        return ids, scored
