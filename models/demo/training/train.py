#!/usr/bin/python3
"""Trains the demo model on the synthetic tasks of tasks.py; resumable, seeded, CPU or CUDA.

    /usr/bin/python3 models/demo/training/train.py --minutes 60            # trains, or resumes, for an hour
    /usr/bin/python3 models/demo/training/train.py --evaluate              # greedy accuracy of the last checkpoint

Training sample i of the run is a pure function of i (task, case, thinking mode: see `sample`), so a
run resumed from a checkpoint at step s sees exactly the batches it would have seen without the
stop. The run folder (default models/demo/training/checkpoints/, not committed) holds `last.pt`,
written atomically every few minutes and at the end. Cases come from the generator's seed 1;
evaluation uses other seeds (validation 777 here, 90001 and up for the published table).
"""
from __future__ import annotations

import argparse
import dataclasses
import math
import os
import random
import time

import torch

import demo_model
import tasks
from demo_model import VISION, Sequences
from kestrel_models.decoder import TinyDecoder
from kestrel_models.idefics3_image import expand_prompt, preprocess
from kestrel_models.idefics3_vision import splice
import naming
import reading
from pretrain_vision import load_encoder, new_encoder
from kestrel_models.training import Checkpoints, length_groups, run_arguments, save_atomically
from vision_probe import VisionProbe, encode, feature_penalty, patch_labels, picture_labels

TRAIN_SEED = 1
VALIDATION_SEED = 777
# How often each task is drawn: the text reading and the scratchpad need the most practice. "colour" is a
# training-only draw: a shapes case that asks for a colour (the spec's generator asks that in about a quarter
# of its shapes cases). Until step 1,500 of joint-colours it was shapes 0.30, addition 0.10 and no "colour";
# the decoder answered colours 69% of the time while the colour namer it reads them from was right 100/100.
WEIGHTS = {"shapes": 0.24, "colour": 0.12, "text": 0.34, "addition": 0.04, "addition-thinking": 0.22, "greeting": 0.04}
COLOUR_STREAM = 10_000_000  # the colour draws' shapes cases come from indices far past any run's samples
CROWDED_STREAM = 20_000_000  # and the crowded ones' (colour_case) from further on
DEFAULT_RUN = os.path.join(demo_model.HERE, "checkpoints")
PENALTY = 0.1  # weight of vision_probe.feature_penalty
# Parts a checkpoint may lack (it predates them, or comes from the export, which has no probe): they start fresh.
FRESH_PARTS = ("probe.", "encoder.reader.", "encoder.colours.", "asking.")
REWARM = 50  # steps over which the learning rate climbs again when a run resumes without optimizer state


class Model(torch.nn.Module):
    """The vision encoder with its connector, and the decoder: what the ONNX files are exported from; and the
    vision probe's heads (vision_probe.py, not exported), for the auxiliary loss."""

    def __init__(self, vocab_size: int):
        super().__init__()
        self.encoder = new_encoder()
        self.decoder = TinyDecoder(demo_model.decoder_config(vocab_size))
        self.probe = VisionProbe()
        # The asked-kind probe (Pointing): which kind a colour question asks about, read linearly from what the
        # pointing head's query is made from. Training only, like the vision probe.
        self.asking = torch.nn.Linear(self.decoder.c.hidden_size, len(naming.KINDS))

    def load(self, state: dict) -> list[str]:
        """Loads a checkpoint's weights; those of runs before the probe, the line reader or the colour namer leave
        those parts as they are. Returns the names of the weights the checkpoint did not have."""
        missing, unexpected = self.load_state_dict(state, strict=False)
        if unexpected or any(not name.startswith(FRESH_PARTS) for name in missing):
            raise ValueError(f"checkpoint does not fit the model: missing {missing}, unexpected {unexpected}")
        return missing

    def embed(self, rows: torch.Tensor, frames: torch.Tensor | None, image_id: int) -> torch.Tensor:
        """Token embeddings with the image features, in order, at the <image> tokens."""
        features = None if frames is None else self.encoder.features(frames).reshape(-1, self.decoder.c.hidden_size)
        return splice(self.decoder, rows, features, image_id)

    def feature_penalty(self, features: torch.Tensor) -> torch.Tensor:
        return feature_penalty(features, self.decoder.embed_tokens.weight.detach().pow(2).mean())


def decoder_weights(state: dict) -> dict:
    """The decoder's part of a Model's state dict, named as the decoder names them."""
    return {name[len("decoder."):]: value for name, value in state.items() if name.startswith("decoder.")}


def parse_mix(text: str) -> dict[str, float]:
    """"colour=0.2,text=0.38" as {"colour": 0.2, "text": 0.38}; only WEIGHTS' tasks."""
    mix = {}
    for item in text.split(","):
        task, _, weight = item.partition("=")
        if task.strip() not in WEIGHTS:
            raise ValueError(f"--mix: unknown task {task.strip()!r}; the tasks are {', '.join(WEIGHTS)}")
        mix[task.strip()] = float(weight)
    return mix


def sample(index: int, seed: int = TRAIN_SEED, crowded: float = 0.0) -> tuple[tasks.Case, str, float]:
    """The index-th training sample: its case, its thinking mode and where a budget cuts the scratchpad.
    crowded: the share of colour draws whose picture holds every kind of shape (colour_case)."""
    rng = random.Random(f"sample/{seed}/{index}")
    task = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    if task == "colour":
        case = colour_case(seed, index, random.Random(f"crowded/{seed}/{index}").random() < crowded)
    else:
        case = tasks.case(task, seed, index)
    if task == "addition-thinking":
        mode = "budget" if rng.random() < 0.35 else "think"
    elif task == "greeting":
        mode = rng.choice(["off", "think"])
    else:
        mode = "think" if task != "addition" and rng.random() < 0.15 else "off"
    return case, mode, rng.random()


def colour_case(seed: int, index: int, crowded: bool = False) -> tasks.Case:
    """The first of the generator's shapes cases from COLOUR_STREAM + 100 * index on that asks for a colour; crowded:
    the first from CROWDED_STREAM + 1000 * index on that asks for a colour in a picture holding every kind of shape.

    Crowded pictures are the hard ones. At step 10000 of joint-5 every colour the decoder got wrong (13 of 200) was
    in a picture with a square and a triangle, which the pointing head does not tell apart by the question
    (Pointing, `diagnose.py query`)."""
    start, tries = (CROWDED_STREAM + 1000 * index, 1000) if crowded else (COLOUR_STREAM + 100 * index, 100)
    for k in range(tries):
        case = tasks.case("shapes", seed, start + k)
        if tasks.asks_colour(case) and (not crowded or {s.kind for s in case.shapes} == set(tasks.SHAPES)):
            return case
    raise AssertionError(f"no {'crowded ' if crowded else ''}colour question in {tries} shapes cases")


def prompt_inputs(case: tasks.Case, thinking: bool) -> tuple[str, torch.Tensor | None]:
    """The prompt with its image expanded, and the image's preprocessed frames (None without an image)."""
    text = demo_model.prompt(case, thinking)
    if case.image is None:
        return text, None
    processed = preprocess(case.image, demo_model.PREPROCESSOR)
    return expand_prompt(text, [processed], VISION.image_seq_len), torch.from_numpy(processed.frames)


@dataclasses.dataclass
class Sample:
    ids: list[int]
    scored: list[bool]
    frames: torch.Tensor | None    # [1, 3, 256, 256], None without a picture
    labels: tuple | None           # the picture's vision_probe.picture_labels and patch_labels, reading.labels
    hide_patches: bool = False     # the decoder sees only the reader's and the namer's image tokens (hidden_patches)
    pointer: tuple[int, int] | None = None  # a colour question's (position before the answer, asked kind's index)


def encode_sample(seqs: Sequences, case: tasks.Case, mode: str, cut: float, hide_share: float = 0.0) -> Sample:
    """hide_share: the share of colour questions whose patch tokens the decoder does not see (hidden_patches); the
    sample's `cut` draw, unused by a colour question, decides which."""
    text, frames = prompt_inputs(case, thinking=mode != "off")
    ids, scored = seqs.build(text, case, mode, cut)
    labels = None if frames is None else (picture_labels(case), patch_labels(case),
                                          reading.labels(case, VISION.patches_per_side))
    colour = tasks.asks_colour(case)
    pointer = (len(ids) - len(seqs.bpe.encode(case.answer)) - 2, naming.KINDS.index(tasks.asked_kind(case))) \
        if colour else None
    return Sample(ids, scored, frames, labels, colour and cut < hide_share, pointer)


def hidden_patches(features: torch.Tensor, hide: list[bool], first_patch: int) -> torch.Tensor:
    """features [pictures, tokens, hidden] with image tokens from first_patch on zeroed for the pictures to hide.

    Training only. The decoder answered colours from the patch tokens, where it finds the asked-about shape 81% of
    the time, and not from the colour namer's tokens, which name it right 100% of the time: with the namer's
    colours swapped between its tokens it still gave the true colour 164 times in 200 (step 5607). With the patch
    tokens hidden, a colour question can only be answered from the namer's token for that kind."""
    keep = torch.ones(features.shape[:2] + (1,), device=features.device)
    for i, h in enumerate(hide):
        if h:
            keep[i, first_patch:] = 0
    return features * keep


@dataclasses.dataclass
class Losses:
    answer: torch.Tensor     # summed cross-entropy over the scored tokens, each times its sample's token weight
    tokens: float            # the scored tokens' summed weights
    penalty: torch.Tensor    # Model.feature_penalty, averaged over image tokens
    probe: torch.Tensor      # the vision probe's summed cross-entropy
    reader: torch.Tensor     # the line reader's summed loss (reading.loss)
    colours: torch.Tensor    # the colour namer's summed loss (naming.loss)
    pictures: int
    pointing: torch.Tensor   # the pointing head's summed -log weight on the asked kind's namer token (Pointing)
    pointed: int = 0         # the colour questions it was summed over
    on_target: float = 0.0   # their summed weight on that token
    asking: torch.Tensor | float = 0.0  # the asked-kind probe's summed cross-entropy on them (Pointing)
    asked_right: int = 0     # how often it named the asked kind


@dataclasses.dataclass(frozen=True)
class Pointing:
    """Where a colour question's answer must look: from the position before the answer, head `head` of decoder
    layer `layer` is taught (by -log of its weight there) to attend to the colour namer's token for the asked kind.

    Without it the decoder did not pick the asked kind's token: at step 7000 the one head that read the namer's
    tokens (layer 5, head 0) put 0.40 of its weight on the asked kind's token and 0.56 on the other two
    (`diagnose.py attention`), and with two or more shapes a fifth of the answers named another shape's colour.

    The asked-kind probe (Model.asking) reads the kind from the pointing layer's normed input at the same position:
    the query's source. At step 10000 of joint-5 the head told the circle from the other two (its logit on the
    asked kind's token 8 to 12 above the other's) but not the square from the triangle: the same 0.32 in favour of
    the square whether the question named the square or the triangle (`diagnose.py query`). Its cross-entropy, added
    with --asking-weight, makes the layers below carry the asked kind to that position."""
    layer: int = 5
    head: int = 0


def token_weight(scored_tokens: int, weighting: str) -> float:
    """The weight of each scored token of a sample. "token": all tokens count the same, so a 40-token scratchpad
    outweighs a one-word answer forty to one. "sqrt": 1/sqrt(the sample's scored tokens), so a sample counts
    sqrt(n): the one-word colour answer is no longer drowned out by the batch's scratchpads."""
    if weighting == "token":
        return 1.0
    if weighting == "sqrt":
        return 1.0 / math.sqrt(max(1, scored_tokens))
    raise ValueError(f"unknown answer weighting {weighting!r}")


def naming_end(model: Model) -> int:
    """The first image token after the line reader's and the colour namer's: the first plain patch token."""
    return model.encoder.colours.first + len(naming.KINDS)


def pointed(group: list[Sample]) -> tuple[list[int], list[int], list[int]]:
    """The group's colour questions: (their rows, the positions before their answers, the kinds they ask about)."""
    asking = [r for r, s in enumerate(group) if s.pointer is not None]
    return asking, [group[r].pointer[0] for r in asking], [group[r].pointer[1] for r in asking]


def pointer_weights(model: Model, rows: torch.Tensor, group: list[Sample], image_id: int, head: int,
                    attention: torch.Tensor) -> torch.Tensor:
    """A layer's attention weights [rows, heads, queries, keys] -> the pointing head's weight on the asked kind's
    namer token, for each of the group's colour questions."""
    asking, queries, kinds = pointed(group)
    keys = [int((rows[r] == image_id).nonzero()[0]) + model.encoder.colours.first + kind
            for r, kind in zip(asking, kinds)]
    return attention[asking, head, queries, keys]


def asked_kind_logits(model: Model, group: list[Sample], states: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The pointing layer's normed input [rows, positions, hidden] -> (the asked-kind probe's logits at each colour
    question's pointer position, the kinds asked)."""
    asking, queries, kinds = pointed(group)
    return model.asking(states[asking, queries]), torch.tensor(kinds, device=states.device)


def with_new_groups(saved: dict, optimizer: torch.optim.Optimizer) -> dict:
    """An optimizer state saved before the optimizer had its last parameter groups (the asked-kind probe's), with
    those groups added, empty: their Adam moments start at zero, the others' are kept."""
    groups = list(saved["param_groups"])
    taken = sum(len(g["params"]) for g in groups)
    for group in optimizer.param_groups[len(groups):]:
        groups.append({**{k: v for k, v in group.items() if k != "params"},
                       "params": list(range(taken, taken + len(group["params"])))})
        taken += len(group["params"])
    return {**saved, "param_groups": groups}


def batch_loss(model: Model, batch: list[Sample], pad: int, image_id: int, device, weighting: str = "token",
               pointing: Pointing | None = None) -> Losses:
    """The losses of a batch, computed in length groups to spare the padding; pointing: also the pointing loss."""
    zero = torch.zeros((), device=device)
    losses = Losses(zero, 0.0, zero, zero, zero, zero, 0, zero)
    for group in length_groups([len(s.ids) for s in batch], 1.25):
        group = [batch[i] for i in group]
        width = max(len(s.ids) for s in group)
        rows = torch.full((len(group), width), pad, dtype=torch.long)
        targets = torch.full((len(group), width), -100, dtype=torch.long)
        weights = torch.zeros((len(group), width))
        for r, s in enumerate(group):
            rows[r, : len(s.ids)] = torch.tensor(s.ids)
            want = torch.tensor(s.ids[1:])
            keep = torch.tensor(s.scored[1:])
            targets[r, : len(s.ids) - 1] = torch.where(keep, want, torch.full_like(want, -100))
            weights[r, : len(s.ids) - 1] = keep * token_weight(int(keep.sum()), weighting)
        pictures = [s for s in group if s.frames is not None]
        frames = torch.cat([s.frames for s in pictures]).to(device) if pictures else None
        rows, targets, weights = rows.to(device), targets.to(device), weights.to(device)
        features = None
        if pictures:
            patches, features, read, named = encode(model.encoder, frames)
            picture_targets = torch.tensor([s.labels[0] for s in pictures], device=device)
            patch_targets = torch.tensor([s.labels[1] for s in pictures], device=device)
            probe, _ = model.probe(patches, features, picture_targets, patch_targets)
            reader, _ = reading.loss(read, *reading.tensors([s.labels[2] for s in pictures], device))
            colours, _ = naming.loss(named, *naming.targets(picture_targets, patch_targets))
            losses.reader = losses.reader + reader
            losses.colours = losses.colours + colours
            every = features.reshape(-1, features.shape[-1])                              # [image tokens, hidden]
            losses.penalty = losses.penalty + model.feature_penalty(every) * every.shape[0]
            losses.probe = losses.probe + probe
            losses.pictures += len(pictures)
            shown = hidden_patches(features, [s.hide_patches for s in pictures], naming_end(model))
            features = shown.reshape(every.shape)
        x = splice(model.decoder, rows, features, image_id)
        mask = (rows != pad).long()
        positions = torch.arange(width, device=device)[None].expand(len(group), width)
        past = [p.to(device) for p in model.decoder.empty_past(len(group))]
        seen = []
        hook = None
        if pointing is not None and any(s.pointer is not None for s in group):
            hook = model.decoder.layers[pointing.layer].self_attn.register_forward_hook(
                lambda attention, inputs, _: seen.append((attention.weights(*inputs)[0], inputs[0])))
        try:
            logits, *_ = model.decoder.forward_embeds(x, mask, positions, *past)
        finally:
            if hook is not None:
                hook.remove()
        if seen:
            attention, states = seen[0]
            weight = pointer_weights(model, rows, group, image_id, pointing.head, attention)
            losses.pointing = losses.pointing - torch.log(weight.clamp_min(1e-6)).sum()
            losses.pointed += len(weight)
            losses.on_target += float(weight.detach().sum())
            guess, kinds = asked_kind_logits(model, group, states)
            losses.asking = losses.asking + torch.nn.functional.cross_entropy(guess, kinds, reduction="sum")
            losses.asked_right += int((guess.argmax(-1) == kinds).sum())
        per_token = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100, reduction="none")
        losses.answer = losses.answer + (per_token * weights.reshape(-1)).sum()
        losses.tokens += float(weights.sum())
    losses.penalty = losses.penalty / max(1, sum(s.ids.count(image_id) for s in batch))
    return losses


def learning_rate(step: int, peak: float, total: int, warmup: int = 150, start: int = 0) -> float:
    """Linear warm-up, then a cosine down to a tenth of the peak at `total`; the schedule begins at step `start`."""
    step, total = step - start, total - start
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


@torch.no_grad()
def reply(model: Model, seqs: Sequences, case: tasks.Case, mode: str, max_new: int = 160) -> str:
    """Greedy reply to one case, as Kestrel's engine would give it (thinking unlimited or off)."""
    model.eval()
    text, frames = prompt_inputs(case, thinking=mode != "off")
    prompt_ids = seqs.bpe.encode(text)
    device = next(model.parameters()).device
    embeds = model.embed(torch.tensor([prompt_ids], device=device), frames.to(device) if frames is not None else None,
                         seqs.bpe.vocab[demo_model.IMAGE])
    out, _ = model.decoder.cpu().greedy(prompt_ids, max_new, {seqs.end}, prompt_embeds=embeds.cpu())
    model.decoder.to(device)
    text = seqs.bpe.decode([t for t in out if t != seqs.end])
    return text.split(demo_model.UNTHINK)[-1].strip()


def evaluate(model: Model, seqs: Sequences, count: int, seed: int = VALIDATION_SEED) -> dict[str, float]:
    """Greedy accuracy per task on `count` cases each; the shapes' colour questions are also scored on their own."""
    tally: dict[str, list[int]] = {}
    for task in (t for t in WEIGHTS if t != "colour"):  # colours are scored within shapes
        mode = "think" if task == "addition-thinking" else "off"
        for case in (tasks.case(task, seed, i) for i in range(count)):
            right = int(reply(model, seqs, case, mode).lower() == case.answer.lower())
            for name in [task] + (["colour"] if tasks.asks_colour(case) else []):
                tally.setdefault(name, []).append(right)
    model.train()
    return {name: sum(rights) / len(rights) for name, rights in tally.items()}


@torch.no_grad()
def slots_from_tokens(model: Model, seqs: Sequences) -> None:
    """Makes slot k, before the reader's own training of it, the decoder's embedding of the character it holds:
    an image token that reads "S" then looks to the decoder like the token S, which it already knows how to copy.
    From a fresh Linear the slots were a tenth of a token's size, and after 500 joint steps the decoder still
    had not started copying them (measured: text 0% while the reader spelled 7 of 12 words)."""
    ids = [seqs.bpe.vocab[c] for c in tasks.TEXT_ALPHABET]
    model.encoder.reader.embed.weight.copy_(model.decoder.embed_tokens.weight[ids].T)


def save(path: str, step: int, model: Model, optimizer, args) -> None:
    save_atomically(path, {"step": step, "model": model.state_dict(), "optimizer": optimizer.state_dict(), "args": vars(args)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    run_arguments(parser, DEFAULT_RUN, steps=6000, batch=32, lr=1.5e-3, eval_every=500, eval_count=40)
    parser.add_argument("--evaluate", action="store_true", help="only print validation accuracy of the checkpoint")
    parser.add_argument("--tasks", help="train only these tasks (comma-separated), for probes")
    parser.add_argument("--vision-lr-scale", type=float, default=1.0, help="the vision encoder's learning rate factor")
    parser.add_argument("--init", metavar="CHECKPOINT",
                        help="a fresh run starts from this train.py checkpoint's weights (its decoder only, with --vision)")
    parser.add_argument("--vision", metavar="CHECKPOINT",
                        help="a fresh run takes its vision encoder and probe from this pretrain_vision.py checkpoint")
    parser.add_argument("--probe-weight", type=float, default=0.3,
                        help="weight of the vision probe's loss per picture (vision_probe.py); 0: off")
    parser.add_argument("--reader-weight", type=float, default=1.0,
                        help="weight of the line reader's loss per picture (reading.py); 0: off")
    parser.add_argument("--colour-weight", type=float, default=0.3,
                        help="weight of the colour namer's loss per picture (naming.py); 0: off")
    parser.add_argument("--slots-from-tokens", action="store_true",
                        help="set the line reader's slot embeddings to the decoder's embeddings of the characters first")
    parser.add_argument("--schedule-from", type=int, default=0, metavar="STEP",
                        help="the learning-rate schedule (warm-up, cosine) begins at this step: a second schedule "
                             "on a run whose first one has ended; give it again when that run resumes")
    parser.add_argument("--answer-weighting", choices=("token", "sqrt"), default="token",
                        help="token: every scored answer token counts the same; sqrt: each token of a sample counts "
                             "1/sqrt(the sample's scored tokens), so short answers are not drowned out by scratchpads")
    parser.add_argument("--hide-patches", type=float, default=0.0, metavar="SHARE",
                        help="the share of colour questions whose plain patch tokens the decoder does not see, so "
                             "that it learns to answer from the colour namer's tokens (hidden_patches)")
    parser.add_argument("--pointing-weight", type=float, default=0.0,
                        help="weight of the pointing loss per colour question (Pointing): a decoder head is taught "
                             "to attend to the colour namer's token for the asked kind; 0: off")
    parser.add_argument("--asking-weight", type=float, default=0.0,
                        help="weight of the asked-kind probe's loss per colour question (Pointing); needs "
                             "--pointing-weight; 0: off")
    parser.add_argument("--crowded-colours", type=float, default=0.0, metavar="SHARE",
                        help="the share of colour draws whose picture holds every kind of shape (colour_case)")
    parser.add_argument("--mix", metavar="TASK=WEIGHT,...",
                        help="how often each task is drawn, instead of WEIGHTS (tasks left out keep their weight)")
    args = parser.parse_args()
    if args.asking_weight and not args.pointing_weight:
        parser.error("--asking-weight needs --pointing-weight: the probe reads the pointing layer's input")
    if args.mix:
        WEIGHTS.update(parse_mix(args.mix))
    if args.tasks:
        for task in set(WEIGHTS) - set(args.tasks.split(",")):
            del WEIGHTS[task]

    torch.set_num_threads(args.threads)
    torch.manual_seed(20261121)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    seqs = Sequences(demo_model.tokenizer())
    pad, image_id = seqs.bpe.vocab[demo_model.PAD], seqs.bpe.vocab[demo_model.IMAGE]
    model = Model(len(seqs.bpe.vocab)).to(device)
    groups = [{"params": [p for n, p in model.named_parameters() if not n.startswith(("encoder.", "asking."))]},
              {"params": [p for n, p in model.named_parameters() if n.startswith("encoder.")],
               "scale": args.vision_lr_scale},
              {"params": list(model.asking.parameters())}]
    optimizer = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    os.makedirs(args.run, exist_ok=True)
    last = os.path.join(args.run, "last.pt")
    step = 0
    slots_done = False
    fresh: list[str] = []
    rewarm_from = None
    if os.path.exists(last):
        state = torch.load(last, map_location=device)
        slots_done = bool(state["args"].get("slots_from_tokens"))  # done once, when the flag was first given
        fresh = model.load(state["model"])
        step = state["step"]
        if "optimizer" in state and not args.evaluate:
            optimizer.load_state_dict(with_new_groups(state["optimizer"], optimizer))
        elif not args.evaluate:  # from_export.py writes none: Adam's first steps would be full-size jolts
            rewarm_from = step
        print(f"resumed at step {step} from {last}" + ("" if rewarm_from is None else ", without optimizer state"))
    else:
        if args.init and args.vision:
            # The encoder comes from --vision, and may not even have the shapes of --init's (ADR 0010 section 7).
            model.decoder.load_state_dict(decoder_weights(torch.load(args.init, map_location=device)["model"]))
            print(f"starts from the decoder of {args.init}")
        elif args.init:
            fresh = model.load(torch.load(args.init, map_location=device)["model"])
            print(f"starts from the weights of {args.init}")
        if args.vision:
            state = torch.load(args.vision, map_location=device)
            load_encoder(model.encoder, state["encoder"])
            model.probe.load_state_dict(state["probe"])
            print(f"starts with the vision encoder of {args.vision} (step {state['step']})")
    if any(name.startswith("encoder.colours.") for name in fresh):
        model.encoder.colours.from_tokens(model.decoder.embed_tokens.weight, seqs.bpe.encode)
        print("the colour namer starts with the decoder's embeddings of the shapes' and colours' words")
    if args.slots_from_tokens and not slots_done:
        slots_from_tokens(model, seqs)
        print("the reader's slot embeddings start as the decoder's embeddings of the characters")
    if args.evaluate:
        print(evaluate(model, seqs, args.eval_count))
        return 0

    params = sum(p.numel() for n, p in model.named_parameters() if not n.startswith("probe."))
    print(f"{params / 1e6:.2f}M parameters, vocabulary {len(seqs.bpe.vocab)}, {device}, {args.threads} threads")
    checkpoints = Checkpoints(args, lambda at: save(last, at, model, optimizer, args))
    window_start = time.time()
    window = {"answer": 0.0, "tokens": 0, "penalty": 0.0, "probe": 0.0, "reader": 0.0, "colours": 0.0, "pictures": 0,
              "pointing": 0.0, "pointed": 0, "on_target": 0.0, "asking": 0.0, "asked_right": 0}
    pointing = Pointing() if args.pointing_weight else None
    model.train()
    while step < args.steps:
        batch = [encode_sample(seqs, *sample(step * args.batch + i, crowded=args.crowded_colours), args.hide_patches)
                 for i in range(args.batch)]
        rate = learning_rate(step, args.lr, args.steps, start=args.schedule_from)
        if rewarm_from is not None:
            rate *= min(1.0, (step - rewarm_from + 1) / REWARM)
        for group in optimizer.param_groups:
            group["lr"] = rate * group.get("scale", 1.0)
        optimizer.zero_grad()
        losses = batch_loss(model, batch, pad, image_id, device, args.answer_weighting, pointing)
        total = losses.answer / losses.tokens + PENALTY * losses.penalty
        if losses.pictures and args.probe_weight:
            total = total + args.probe_weight * losses.probe / losses.pictures
        if losses.pictures and args.reader_weight:
            total = total + args.reader_weight * losses.reader / losses.pictures
        if losses.pictures and args.colour_weight:
            total = total + args.colour_weight * losses.colours / losses.pictures
        if losses.pointed:
            total = total + args.pointing_weight * losses.pointing / losses.pointed
        if losses.pointed and args.asking_weight:
            total = total + args.asking_weight * losses.asking / losses.pointed
        total.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        for key in window:
            value = getattr(losses, key)
            window[key] += value if isinstance(value, (int, float)) else value.item()
        if step % 25 == 0:
            now = time.time()
            print(f"step {step}: loss {window['answer'] / window['tokens']:.4f},"
                  f" probe {window['probe'] / max(1, window['pictures']):.3f},"
                  f" reader {window['reader'] / max(1, window['pictures']):.3f},"
                  f" colours {window['colours'] / max(1, window['pictures']):.3f}, feature penalty {window['penalty'] / 25:.3f},"
                  + (f" pointing {window['pointing'] / max(1, window['pointed']):.3f}"
                     f" (weight on target {window['on_target'] / max(1, window['pointed']):.2f}),"
                     f" asked kind {window['asking'] / max(1, window['pointed']):.3f}"
                     f" (right {window['asked_right'] / max(1, window['pointed']):.2f}),"
                     if pointing else "") +
                  f" lr {rate:.2e}, {(now - window_start) / 25:.2f} s/step", flush=True)
            window = dict.fromkeys(window, 0)
            window_start = now
        if args.eval_every and step % args.eval_every == 0:
            print(f"step {step}: validation {evaluate(model, seqs, args.eval_count)}", flush=True)
        if checkpoints.after(step):
            break
    print(f"stopped at step {step} of {args.steps}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
