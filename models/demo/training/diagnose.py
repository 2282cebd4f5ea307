"""Where a checkpoint's colour and text answers go wrong: the encoder's part (the colour namer, the line reader) or
the decoder's. PyTorch greedy replies on validation cases (seed 777), as train.py's validation gives them.

    /usr/bin/python3 diagnose.py colours checkpoints/RUN/last.pt --count 200
    /usr/bin/python3 diagnose.py reading checkpoints/RUN/last.pt --count 200 --replies 60
    /usr/bin/python3 diagnose.py attention checkpoints/RUN/last.pt --count 200
    /usr/bin/python3 diagnose.py query checkpoints/RUN/last.pt --count 25

colours: how often the namer's token for the asked-about kind holds the right colour; how the decoder's answers
split into right, another shape's colour and no shape's colour, per number of shapes; how many are right per set of
kinds in the picture (a square beside a triangle was the hard case at joint-5 step 10000); and the decoder's accuracy
when it sees only the reader's and namer's tokens (train.hidden_patches), and when the namer's colours are moved
one kind along (does the decoder follow the namer's tokens at all?).
reading: how often the reader's slots spell the whole word, its characters' accuracy, and how often the decoder
is right and says what the reader spelled.
attention: for each decoder layer and head, where the position before a colour answer looks, on the questions
about pictures with two shapes or more: its mean weight on the namer's token for the asked kind, on the namer's
other two tokens and on the plain patch tokens (train.Pointing teaches one head the first).
query: whether the pointing head's choice follows the question: for each two kinds, pictures with one shape of
each are asked about both, and the head's log-ratio of weight on the two kinds' namer tokens is printed for each
question. A head that follows the question has the sign flip; one that does not gives the same number twice.
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import itertools
import statistics
from contextlib import contextmanager

import torch

import demo_model
import naming
import reading
import tasks
import train
import vision_probe
from demo_model import VISION, Sequences


def load(path: str) -> tuple[train.Model, Sequences, int]:
    seqs = Sequences(demo_model.tokenizer())
    model = train.Model(len(seqs.bpe.vocab))
    state = torch.load(path, map_location="cpu")
    model.load(state["model"])
    return model.eval(), seqs, state["step"]


def colour_cases(count: int) -> list[tasks.Case]:
    cases = (tasks.case("shapes", train.VALIDATION_SEED, i) for i in range(100 * count))
    return [c for c in cases if tasks.asks_colour(c)][:count]


@contextmanager
def patched(model: train.Model, hide: bool = False, move: bool = False):
    """The decoder sees only the reader's and namer's tokens (hide), or the namer's colours one kind along (move)."""
    encoder = model.encoder
    features, pool = encoder.features, naming.pool
    if hide:
        encoder.features = lambda frames: train.hidden_patches(
            features(frames), [True] * frames.shape[0], train.naming_end(model))
    if move:
        def moved(kinds, colours):
            named = pool(kinds, colours)
            return naming.Naming(named.kinds, named.colours, named.named.roll(1, dims=1))
        naming.pool = moved
    try:
        yield
    finally:
        encoder.features, naming.pool = features, pool


@torch.no_grad()
def colours(model: train.Model, seqs: Sequences, count: int) -> None:
    cases = colour_cases(count)
    split, kinds, named_right = collections.Counter(), collections.Counter(), 0
    for case in cases:
        answer = train.reply(model, seqs, case, "off").lower()
        _, frames = train.prompt_inputs(case, thinking=False)
        named = vision_probe.encode(model.encoder, frames)[3].named[0, naming.KINDS.index(tasks.asked_kind(case))]
        named_right += naming.COLOURS[int(named.argmax())] == case.answer
        others = {s.colour for s in case.shapes if s.kind != tasks.asked_kind(case)}
        outcome = "right" if answer == case.answer else "another shape's" if answer in others else "no shape's"
        split[(len(case.shapes), outcome)] += 1
        kinds[(" and ".join(k for k in naming.KINDS if k in {s.kind for s in case.shapes}), outcome == "right")] += 1
    print(f"namer right {named_right}/{len(cases)}; the decoder's answers, by number of shapes:")
    for shapes in sorted({n for n, _ in split}):
        print(f"  {shapes}: " + ", ".join(f"{o} {split[(shapes, o)]}" for o in ("right", "another shape's", "no shape's")))
    print("right, by the kinds of shape in the picture:")
    for present in sorted({k for k, _ in kinds}, key=lambda k: (k.count(" and "), k)):
        print(f"  {present}: {kinds[(present, True)]}/{kinds[(present, True)] + kinds[(present, False)]}")
    for label, options in (("only the reader's and namer's tokens", {"hide": True}),
                           ("the namer's colours one kind along", {"move": True})):
        with patched(model, **options):
            right = sum(train.reply(model, seqs, c, "off").lower() == c.answer for c in cases)
        print(f"with {label}: right {right}/{len(cases)}")


@torch.no_grad()
def read(model: train.Model, seqs: Sequences, count: int, replies: int) -> None:
    cases = [tasks.case("text", train.VALIDATION_SEED, i) for i in range(count)]
    frames = torch.cat([train.prompt_inputs(c, False)[1] for c in cases])
    result = vision_probe.encode(model.encoder, frames)[2]
    _, tally = reading.loss(result, *reading.batch_labels(cases, VISION.patches_per_side))
    print("reader: " + ", ".join(f"{name} {right}/{total}" for name, (right, total) in tally.items()))
    spelled = reading.spelled(result)
    answers = [train.reply(model, seqs, c, "off") for c in cases[:replies]]
    right = sum(a == c.answer for a, c in zip(answers, cases))
    agree = sum(a == s for a, s in zip(answers, spelled))
    print(f"decoder right {right}/{len(answers)}, says what the reader spelled {agree}/{len(answers)}")
    for case, word, answer in list(zip(cases, spelled, answers))[:12]:
        if not case.answer == word == answer:
            print(f"  {case.answer}: reader {word}, decoder {answer}")


def prefix(model: train.Model, sample: train.Sample, position: int, image_id: int) -> None:
    """Runs the decoder on the sample's tokens up to and including `position` (its hooks see the layers)."""
    rows = torch.tensor([sample.ids[:position + 1]])
    model.decoder.forward_embeds(model.embed(rows, sample.frames, image_id), torch.ones_like(rows),
                                 torch.arange(rows.shape[1])[None], *model.decoder.empty_past())


@torch.no_grad()
def attention(model: train.Model, seqs: Sequences, count: int) -> None:
    cases = [c for c in colour_cases(count) if len(c.shapes) > 1]
    image_id = seqs.bpe.vocab[demo_model.IMAGE]
    first, end = model.encoder.colours.first, train.naming_end(model)
    seen: dict[int, torch.Tensor] = {}
    hooks = [layer.self_attn.register_forward_hook(
        lambda attention, inputs, _, i=i: seen.__setitem__(i, attention.weights(*inputs)[0][0]))
        for i, layer in enumerate(model.decoder.layers)]
    asked = collections.Counter()
    others = collections.Counter()
    patches = collections.Counter()
    try:
        for case in cases:
            sample = train.encode_sample(seqs, case, "off", 1.0)
            query, kind = sample.pointer
            prefix(model, sample, query, image_id)
            image = sample.ids.index(image_id)
            for layer, weights in seen.items():
                at = weights[:, query]                                                     # [heads, keys]
                namer = at[:, image + first:image + end]
                asked.update({(layer, h): float(namer[h, kind]) for h in range(at.shape[0])})
                others.update({(layer, h): float(namer[h].sum() - namer[h, kind]) for h in range(at.shape[0])})
                patches.update({(layer, h): float(at[h, image + end:image + VISION.image_seq_len].sum())
                                for h in range(at.shape[0])})
    finally:
        for hook in hooks:
            hook.remove()
    print(f"{len(cases)} questions about pictures with two shapes or more; each head's mean weight on the asked "
          "kind's namer token / the other namer tokens / the plain patch tokens:")
    for layer in range(len(model.decoder.layers)):
        heads = model.decoder.c.num_attention_heads
        print(f"  layer {layer}: " + "   ".join(
            f"head {h} {asked[layer, h] / len(cases):.2f}/{others[layer, h] / len(cases):.2f}"
            f"/{patches[layer, h] / len(cases):.2f}" for h in range(heads)))


@torch.no_grad()
def query(model: train.Model, seqs: Sequences, count: int) -> None:
    pointing = train.Pointing()
    image_id = seqs.bpe.vocab[demo_model.IMAGE]
    seen = []
    hook = model.decoder.layers[pointing.layer].self_attn.register_forward_hook(
        lambda attention, inputs, _: seen.append(attention.weights(*inputs)[0][0, pointing.head]))
    pool = colour_cases(12 * count)
    print(f"layer {pointing.layer}, head {pointing.head}: log(weight on the first kind's namer token / on the "
          "second's), by the kind asked about:")
    try:
        for a, b in itertools.combinations(naming.KINDS, 2):
            pictures = [c for c in pool if [s.kind for s in c.shapes].count(a) == 1
                        and [s.kind for s in c.shapes].count(b) == 1][:count]
            ratios = collections.defaultdict(list)
            for picture in pictures:
                for asked in (a, b):
                    colour = next(s.colour for s in picture.shapes if s.kind == asked)
                    case = dataclasses.replace(picture, question=tasks.COLOUR_QUESTION.format(asked), answer=colour)
                    sample = train.encode_sample(seqs, case, "off", 1.0)
                    position, _ = sample.pointer
                    seen.clear()
                    prefix(model, sample, position, image_id)
                    namer = seen[0][position, sample.ids.index(image_id) + model.encoder.colours.first:]
                    ratios[asked].append(float(torch.log(namer[naming.KINDS.index(a)] / namer[naming.KINDS.index(b)])))
            print(f"  {a} / {b} ({len(pictures)} pictures): asked about the {a} {statistics.mean(ratios[a]):+.2f},"
                  f" about the {b} {statistics.mean(ratios[b]):+.2f}")
    finally:
        hook.remove()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("colours", "reading", "attention", "query"))
    parser.add_argument("checkpoint")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--replies", type=int, default=60, help="reading: how many of the cases the decoder answers")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model, seqs, step = load(args.checkpoint)
    print(f"{args.checkpoint}: step {step}")
    if args.what == "colours":
        colours(model, seqs, args.count)
    elif args.what == "reading":
        read(model, seqs, args.count, args.replies)
    elif args.what == "attention":
        attention(model, seqs, args.count)
    else:
        query(model, seqs, args.count)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
