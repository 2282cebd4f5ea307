"""A byte-level BPE tokenizer: trained on a small corpus, written as a Hugging Face tokenizer.json.

The semantics are those of GPT-2 style byte-level BPE as implemented by Hugging Face `tokenizers`
(ByteLevel pre-tokenizer with the GPT-2 split pattern, BPE merges by rank, ByteLevel decoder),
so that the Java side, which reads tokenizer.json through the real `tokenizers` library, must
produce exactly the ids this module produces.
"""
from __future__ import annotations

import collections
import json

import regex

# The GPT-2 pre-tokenization pattern, as used by the ByteLevel pre-tokenizer with use_regex=true.
GPT2_SPLIT = regex.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
)
# Qwen2's pattern without its (?i:...) group, which JavaScript regexes lack: every digit its own piece.
DIGITS_SPLIT = regex.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible map from bytes to printable unicode characters."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("\u00a1"), ord("\u00ac") + 1))
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    )
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(printable, chars)}


BYTE_TO_CHAR = bytes_to_unicode()
CHAR_TO_BYTE = {c: b for b, c in BYTE_TO_CHAR.items()}


def _byte_level(word: str) -> tuple[str, ...]:
    return tuple(BYTE_TO_CHAR[b] for b in word.encode("utf-8"))


class ByteLevelBpe:
    def __init__(self, vocab: dict[str, int], merges: list[tuple[str, str]], special_tokens: list[str],
                 split=GPT2_SPLIT):
        """split: the pre-tokenizer's pattern; GPT2_SPLIT is ByteLevel's own, any other becomes a Split step."""
        self.split = split
        self.vocab = vocab
        self.merges = merges
        self.ranks = {pair: rank for rank, pair in enumerate(merges)}
        self.special_tokens = special_tokens
        self.inverse = {i: t for t, i in vocab.items()}

    # -- training ---------------------------------------------------------------------------
    @staticmethod
    def train(corpus: list[str], merges: int, special_tokens: list[str], split=GPT2_SPLIT) -> "ByteLevelBpe":
        words = collections.Counter()
        for text in corpus:
            for piece in split.findall(text):
                words[_byte_level(piece)] += 1
        # Byte symbols first, in byte order, so every byte is always encodable.
        vocab = {BYTE_TO_CHAR[b]: b for b in range(256)}
        learned: list[tuple[str, str]] = []
        splits = {w: list(w) for w in words}
        for _ in range(merges):
            pairs = collections.Counter()
            for w, count in words.items():
                symbols = splits[w]
                for a, b in zip(symbols, symbols[1:]):
                    pairs[(a, b)] += count
            if not pairs:
                break
            # Most frequent pair; ties broken by the pair itself so training is deterministic.
            best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if pairs[best] < 2:
                break
            learned.append(best)
            merged = best[0] + best[1]
            vocab[merged] = len(vocab)
            for w in words:
                splits[w] = _merge(splits[w], best, merged)
        for token in special_tokens:
            vocab[token] = len(vocab)
        return ByteLevelBpe(vocab, learned, special_tokens, split)

    # -- encoding (reference semantics for the tests) ------------------------------------------
    def encode(self, text: str) -> list[int]:
        """Like `tokenizer.encode(text, add_special_tokens=False)`: special tokens in the text count."""
        ids: list[int] = []
        for segment, is_special in self._split_special(text):
            if is_special:
                ids.append(self.vocab[segment])
                continue
            for piece in self.split.findall(segment):
                ids.extend(self.vocab[s] for s in self._bpe(_byte_level(piece)))
        return ids

    def decode(self, ids: list[int]) -> str:
        out = bytearray()
        text = []
        for i in ids:
            token = self.inverse[i]
            if token in self.special_tokens:
                text.append(out.decode("utf-8", errors="replace"))
                out.clear()
                text.append(token)
            else:
                out.extend(CHAR_TO_BYTE[c] for c in token)
        text.append(out.decode("utf-8", errors="replace"))
        return "".join(text)

    def _split_special(self, text: str):
        if not self.special_tokens:
            yield text, False
            return
        pattern = regex.compile("|".join(regex.escape(t) for t in sorted(self.special_tokens, key=len, reverse=True)))
        start = 0
        for m in pattern.finditer(text):
            if m.start() > start:
                yield text[start:m.start()], False
            yield m.group(0), True
            start = m.end()
        if start < len(text):
            yield text[start:], False

    def _bpe(self, symbols: tuple[str, ...]) -> list[str]:
        parts = list(symbols)
        while len(parts) > 1:
            ranked = [(self.ranks.get((a, b), None), k) for k, (a, b) in enumerate(zip(parts, parts[1:]))]
            ranked = [(r, k) for r, k in ranked if r is not None]
            if not ranked:
                break
            rank, _ = min(ranked)
            pair = self.merges[rank]
            parts = _merge(parts, pair, pair[0] + pair[1])
        return parts

    # -- serialization -------------------------------------------------------------------------
    def to_tokenizer_json(self) -> dict:
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {
                    "id": self.vocab[t],
                    "content": t,
                    "single_word": False,
                    "lstrip": False,
                    "rstrip": False,
                    "normalized": False,
                    "special": True,
                }
                for t in self.special_tokens
            ],
            "normalizer": None,
            "pre_tokenizer": self._pre_tokenizer(),
            "post_processor": None,
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {
                "type": "BPE",
                "dropout": None,
                "unk_token": None,
                "continuing_subword_prefix": None,
                "end_of_word_suffix": None,
                "fuse_unk": False,
                "byte_fallback": False,
                "ignore_merges": False,
                "vocab": {t: i for t, i in self.vocab.items() if t not in self.special_tokens},
                "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }

    def _pre_tokenizer(self) -> dict:
        byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
        if self.split is GPT2_SPLIT:
            return byte_level
        return {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": self.split.pattern}, "behavior": "Isolated", "invert": False},
            {**byte_level, "trim_offsets": False, "use_regex": False}]}

    def save(self, path) -> None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_tokenizer_json(), f, ensure_ascii=False, indent=1)
            f.write("\n")


def _merge(symbols, pair, merged):
    out = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == pair[0] and symbols[i + 1] == pair[1]:
            out.append(merged)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out
