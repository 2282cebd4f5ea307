#!/usr/bin/python3
"""The demo model's synthetic tasks, exactly as ../shared/specs/demo-model.md defines them.

Every case is a pure function of (seed, index), so training streams can be resumed at any index
and evaluation sets drawn with a seed never used in training are independent of them.

    /usr/bin/python3 models/demo/training/tasks.py --seed 90001 --count 500 --out /tmp/demo-eval
    kestrel ask --model models/demo --greedy --batch /tmp/demo-eval/requests.jsonl > /tmp/demo-eval/replies.jsonl
    /usr/bin/python3 models/demo/training/tasks.py --score /tmp/demo-eval

writes, for each task, `count` cases: the images under images/, requests.jsonl in the format of
`kestrel ask --batch` (think_budget 0 except for addition in thinking mode, which is null) and
answers.jsonl with the expected answer; `--score` prints exact-match accuracy per task.

Needs PIL and Debian's fonts-dejavu-core (DejaVuSans-Bold.ttf).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
PALETTE = {
    "red": (220, 20, 20), "green": (20, 160, 20), "blue": (20, 40, 220), "yellow": (240, 200, 0),
    "orange": (250, 130, 0), "purple": (130, 30, 180), "black": (0, 0, 0),
}
SHAPES = ("circle", "square", "triangle")
TEXT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
GREETINGS = ("Hello", "Hi", "Who are you?")
INTRODUCTION = ("Hello! I am Kestrel's demo model. Show me a picture of shapes and I will tell you their colours "
                "and count them, show me a short word and I will read it, or ask me to add two numbers and I will "
                "think it through digit by digit.")
TASKS = ("shapes", "text", "addition", "addition-thinking", "greeting")
PLACES = ("units", "tens", "hundreds", "thousands")
COLOUR_QUESTION = "What color is the {}?"


Box = tuple[float, float, float, float]  # left, top, right, bottom in canvas pixels, right and bottom exclusive


@dataclasses.dataclass(frozen=True)
class Shape:
    kind: str
    colour: str
    box: Box


@dataclasses.dataclass(frozen=True)
class Glyph:
    character: str
    box: Box  # its advance across, the ink of the whole string down


@dataclasses.dataclass(frozen=True)
class Case:
    """One user turn and its expected reply; `thinking` is the scratchpad (None: non-thinking mode). `shapes` and
    `glyphs` say what the picture shows, in drawing order, for the vision encoder's labels (vision_probe.py)."""
    task: str
    question: str
    answer: str
    image: Image.Image | None = None
    thinking: str | None = None
    shapes: tuple[Shape, ...] = ()
    glyphs: tuple[Glyph, ...] = ()


def case(task: str, seed: int, index: int) -> Case:
    """The `index`-th case of `task` in the stream `seed`: the same arguments always give the same case."""
    rng = random.Random(f"{task}/{seed}/{index}")
    if task == "shapes":
        return shapes_case(rng)
    if task == "text":
        return text_case(rng)
    if task == "addition":
        return addition_case(rng, thinking=False)
    if task == "addition-thinking":
        return addition_case(rng, thinking=True)
    if task == "greeting":
        return Case("greeting", rng.choice(GREETINGS), INTRODUCTION)
    raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")


def background(rng: random.Random) -> tuple[int, int, int]:
    return tuple(rng.randint(220, 255) for _ in range(3))


def shapes_case(rng: random.Random, size: tuple[int, int] | None = None) -> Case:
    """size: a fixed canvas (width, height) instead of a random one, for examples and parity images."""
    while True:
        width, height = size or (rng.randint(64, 256), rng.randint(64, 256))
        count = rng.randint(1, 4)
        boxes = place_boxes(rng, width, height, count)
        if boxes is not None:
            break
    image = Image.new("RGB", (width, height), background(rng))
    draw = ImageDraw.Draw(image)
    drawn = []
    for x, y, size in boxes:
        shape = rng.choice(SHAPES)
        colour = rng.choice(list(PALETTE))
        fill = PALETTE[colour]
        if shape == "circle":
            draw.ellipse([x, y, x + size - 1, y + size - 1], fill=fill)
        elif shape == "square":
            draw.rectangle([x, y, x + size - 1, y + size - 1], fill=fill)
        else:
            draw.polygon([(x, y + size - 1), (x + size - 1, y + size - 1), (x + (size - 1) / 2, y)], fill=fill)
        drawn.append(Shape(shape, colour, (x, y, x + size, y + size)))
    singles = [s for s in SHAPES if sum(1 for d in drawn if d.kind == s) == 1]
    kinds = ["count-shape", "count-all"] + (["colour"] if singles else [])
    kind = rng.choice(kinds)
    if kind == "colour":
        shape = rng.choice(singles)
        colour = next(d.colour for d in drawn if d.kind == shape)
        return Case("shapes", COLOUR_QUESTION.format(shape), colour, image, shapes=tuple(drawn))
    if kind == "count-shape":
        shape = rng.choice(SHAPES)
        return Case("shapes", f"How many {shape}s are there?", str(sum(1 for d in drawn if d.kind == shape)), image,
                    shapes=tuple(drawn))
    return Case("shapes", "How many shapes are there?", str(len(drawn)), image, shapes=tuple(drawn))


def asks_colour(case: Case) -> bool:
    """Whether a case is a shapes case's colour question (the others ask for a count)."""
    return case.question.startswith(COLOUR_QUESTION.split("{")[0])


def asked_kind(case: Case) -> str:
    """The kind of shape a colour question asks about."""
    return case.question[len(COLOUR_QUESTION.split("{")[0]):-len(COLOUR_QUESTION.split("}")[1])]


def place_boxes(rng: random.Random, width: int, height: int, count: int):
    """`count` square boxes of 16 to 48 pixels that do not overlap, or None when they do not fit."""
    boxes = []
    for _ in range(count):
        for _attempt in range(100):
            size = rng.randint(16, 48)
            if size > width or size > height:
                continue
            x, y = rng.randint(0, width - size), rng.randint(0, height - size)
            if all(x + size <= bx or bx + bs <= x or y + size <= by or by + bs <= y for bx, by, bs in boxes):
                boxes.append((x, y, size))
                break
        else:
            return None
    return boxes


def text_case(rng: random.Random, size: tuple[int, int] | None = None, text: str | None = None) -> Case:
    """size and text: a fixed canvas and string instead of random ones, for examples."""
    fixed = text
    while True:
        width, height = size or (rng.randint(64, 256), rng.randint(32, 128))
        text = fixed or "".join(rng.choice(TEXT_ALPHABET) for _ in range(rng.randint(3, 6)))
        font = ImageFont.truetype(FONT_PATH, rng.randint(16, 32))
        left, top, right, bottom = font.getbbox(text)
        if right - left <= width and bottom - top <= height:
            break
    image = Image.new("RGB", (width, height), background(rng))
    x = rng.randint(0, width - (right - left)) - left
    y = rng.randint(0, height - (bottom - top)) - top
    ImageDraw.Draw(image).text((x, y), text, font=font, fill=tuple(rng.randint(0, 60) for _ in range(3)))
    glyphs = tuple(Glyph(ch, (x + font.getlength(text[:i]), y + top, x + font.getlength(text[: i + 1]), y + bottom))
                   for i, ch in enumerate(text))
    return Case("text", "What does the text say?", text, image, glyphs=glyphs)


def addition_case(rng: random.Random, thinking: bool) -> Case:
    a, b = rng.randint(0, 999), rng.randint(0, 999)
    answer = str(a + b)
    task = "addition-thinking" if thinking else "addition"
    return Case(task, f"What is {a} + {b}?", answer, thinking=scratchpad(a, b) if thinking else None)


def scratchpad(a: int, b: int) -> str:
    """Column addition from the units up, one line a place: the digits, the carry, what is written."""
    lines = []
    carry = 0
    place = 0
    while a or b or carry or place == 0:
        da, db = a % 10, b % 10
        total = da + db + carry
        terms = f"{da} + {db}" + (f" + {carry}" if carry else "")
        lines.append(f"{PLACES[place]}: {terms} = {total}, write {total % 10}" + (", carry 1" if total >= 10 else ""))
        carry = total // 10
        a, b, place = a // 10, b // 10, place + 1
    return "\n".join(lines)


def write_set(out: str, seed: int, count: int, tasks=TASKS, counts: dict[str, int] | None = None) -> None:
    """`count` cases of each task (or counts[task]) as `kestrel ask --batch` requests, expected answers beside them."""
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    with open(os.path.join(out, "requests.jsonl"), "w", encoding="utf-8") as requests, \
            open(os.path.join(out, "answers.jsonl"), "w", encoding="utf-8") as answers:
        for task in tasks:
            for index in range((counts or {}).get(task, count)):
                c = case(task, seed, index)
                request = {"prompt": c.question, "think_budget": None if task == "addition-thinking" else 0}
                if c.image is not None:
                    name = f"images/{task}-{index:05d}.png"
                    c.image.save(os.path.join(out, name))
                    request["images"] = [name]
                requests.write(json.dumps(request) + "\n")
                answers.write(json.dumps({"task": task, "index": index, "answer": c.answer}) + "\n")


def score(folder: str, replies_file: str = "replies.jsonl", answers_file: str = "answers.jsonl",
          kind=lambda answer: answer["task"], match=lambda got, want: got == want) -> dict[str, tuple[int, int]]:
    """Exact match (or `match`) after trimming and lower-casing, per kind of answer (by default its task):
    (right, all)."""
    with open(os.path.join(folder, answers_file), encoding="utf-8") as f:
        expected = [json.loads(line) for line in f]
    with open(os.path.join(folder, replies_file), encoding="utf-8") as f:
        replies = [json.loads(line) for line in f]
    if len(replies) != len(expected):
        raise SystemExit(f"{len(replies)} replies for {len(expected)} requests")
    results: dict[str, list[int]] = {}
    for want, got in zip(expected, replies):
        right = "text" in got and match(got["text"].strip().lower(), want["answer"].strip().lower())
        tally = results.setdefault(kind(want), [0, 0])
        tally[0] += int(right)
        tally[1] += 1
    return {task: (r, n) for task, (r, n) in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=90001)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--task", action="append", choices=TASKS, help="only these tasks (repeatable)")
    parser.add_argument("--out", help="write an evaluation set here")
    parser.add_argument("--score", metavar="FOLDER", help="score FOLDER/replies.jsonl against FOLDER/answers.jsonl")
    args = parser.parse_args()
    if args.score:
        for task, (right, total) in score(args.score).items():
            print(f"{task}: {right}/{total} = {100 * right / total:.1f}%")
        return 0
    if not args.out:
        parser.error("give --out FOLDER to write a set, or --score FOLDER")
    write_set(args.out, args.seed, args.count, tuple(args.task or TASKS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
