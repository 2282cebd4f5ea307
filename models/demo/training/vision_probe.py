"""Everything a picture of the synthetic tasks shows, as labels, and linear heads that read them from the encoder.

The decoder learns about pictures only through the answer to one question per picture, and only once it has
found which image token matters: for a vision encoder trained from scratch that signal is too weak (measured:
picture answers at chance after 53k samples). The labels here say everything at once, in two kinds:

- picture labels, read from the mean of the image features (what the decoder gets by attending evenly to the
  image tokens): how many shapes of each kind and in all, and the colour of each kind drawn once. Not the
  text's characters by position: a mean cannot hold an order without position tricks the decoder does not need,
  and those heads stayed at chance (2-9% after 200k pictures) while adding the largest loss of all;
- patch labels, read from each of the vision transformer's 16 x 16 patches: the colour and kind of the shape
  covering it, the kind of shape centred in it, and the characters under three points across it. They teach
  the local features (colour, corners, strokes) with 256 labels a picture instead of one. Each head's loss
  is the mean over the patches that show something plus the mean over those that do not, so the few patches
  a short word covers weigh as much as a picture full of shapes.

Not exported; used by pretrain_vision.py and, as an auxiliary loss, by train.py.
"""
from __future__ import annotations

import torch
from torch import nn

import tasks
from demo_model import VISION

IGNORE = -100
COLOURS = list(tasks.PALETTE)
CHARACTERS = 1 + len(tasks.TEXT_ALPHABET)  # 0: no character
# Picture heads: counts 0..4; colour 0 = not exactly one such shape, else 1 + palette index.
PICTURE_HEADS = {
    **{f"{shape}s": 5 for shape in tasks.SHAPES},
    "shapes": 5,
    **{f"{shape} colour": 1 + len(COLOURS) for shape in tasks.SHAPES},
}
# Patch heads: 0 = nothing there, else 1 + index.
PATCH_HEADS = {"colour": 1 + len(COLOURS), "shape": 1 + len(tasks.SHAPES), "centre": 1 + len(tasks.SHAPES),
               "left character": CHARACTERS, "middle character": CHARACTERS, "right character": CHARACTERS}
SIDE = VISION.image_size // VISION.patch_size


def overlap(a: tasks.Box, b: tasks.Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def area(a: tasks.Box) -> float:
    return (a[2] - a[0]) * (a[3] - a[1])


def picture_labels(case: tasks.Case) -> list[int]:
    """One label per picture head; IGNORE for all of them on a text picture (its labels are the patches')."""
    out = dict.fromkeys(PICTURE_HEADS, IGNORE)
    if case.task == "shapes":
        for shape in tasks.SHAPES:
            colours = [s.colour for s in case.shapes if s.kind == shape]
            out[f"{shape}s"] = len(colours)
            out[f"{shape} colour"] = 1 + COLOURS.index(colours[0]) if len(colours) == 1 else 0
        out["shapes"] = len(case.shapes)
    elif case.task != "text":
        raise ValueError(f"{case.task} cases have no picture")
    return [out[name] for name in PICTURE_HEADS]


def patch_labels(case: tasks.Case) -> list[list[int]]:
    """[patches, patch heads], the patches row-major over the 256 x 256 frame the canvas is stretched to."""
    width, height = case.image.size
    pw, ph = width / SIDE, height / SIDE  # a patch in canvas pixels
    rows = []
    for r in range(SIDE):
        for c in range(SIDE):
            patch = (c * pw, r * ph, (c + 1) * pw, (r + 1) * ph)
            colour = shape = centre = 0
            covering = [(overlap(s.box, patch), s) for s in case.shapes]
            covering = [(o, s) for o, s in covering if o >= 0.25 * min(area(patch), area(s.box))]
            if covering:
                s = max(covering, key=lambda t: t[0])[1]
                colour, shape = 1 + COLOURS.index(s.colour), 1 + tasks.SHAPES.index(s.kind)
            for s in case.shapes:
                x, y = (s.box[0] + s.box[2]) / 2, (s.box[1] + s.box[3]) / 2
                if patch[0] <= x < patch[2] and patch[1] <= y < patch[3]:
                    centre = 1 + tasks.SHAPES.index(s.kind)
            characters = [0, 0, 0]
            if case.glyphs:
                ink = case.glyphs[0].box
                if overlap((patch[0], ink[1], patch[2], ink[3]), patch) >= 0.25 * min(ph, ink[3] - ink[1]) * pw:
                    for k in range(3):
                        x = patch[0] + (k + 0.5) / 3 * pw
                        for g in case.glyphs:
                            if g.box[0] <= x < g.box[2]:
                                characters[k] = 1 + tasks.TEXT_ALPHABET.index(g.character)
            rows.append([colour, shape, centre, *characters])
    return rows


def encode(encoder, frames: torch.Tensor):
    """Frames [pictures, 3, 256, 256], all real -> (patch states [pictures, 256, vision width], image features
    [pictures, 64, text width], the line reader's reading, the colour namer's naming): what the encoder computes,
    with the states on the way."""
    mask = torch.ones(1, frames.shape[0], frames.shape[2], frames.shape[3], dtype=torch.bool, device=frames.device)
    return encoder.read(frames[None], mask)


class VisionProbe(nn.Module):
    """Linear picture heads on the mean image feature and linear patch heads on each patch state."""

    def __init__(self):
        super().__init__()
        self.picture = nn.Linear(VISION.text_hidden_size, sum(PICTURE_HEADS.values()))
        self.patch = nn.Linear(VISION.hidden_size, sum(PATCH_HEADS.values()))

    def forward(self, patches, features, picture_targets, patch_targets):
        """patches [n, 256, width], features [n, 64, width], picture_targets [n, picture heads], patch_targets
        [n, 256, patch heads] -> (cross-entropy summed over pictures and heads, a patch head's being its mean
        over the patches showing something plus its mean over the rest; {head: (right, labelled)})."""
        loss = features.new_zeros(())
        tally = {}
        picture = self.picture(features.mean(1)).split(list(PICTURE_HEADS.values()), dim=-1)
        for name, logits, want in zip(PICTURE_HEADS, picture, picture_targets.unbind(-1)):
            labelled = want != IGNORE
            if bool(labelled.any()):
                loss = loss + nn.functional.cross_entropy(logits, want, ignore_index=IGNORE, reduction="sum")
                tally[name] = (int((logits.argmax(-1) == want)[labelled].sum()), int(labelled.sum()))
        patch = self.patch(patches).split(list(PATCH_HEADS.values()), dim=-1)
        for name, logits, want in zip(PATCH_HEADS, patch, patch_targets.unbind(-1)):
            each = nn.functional.cross_entropy(logits.flatten(0, 1), want.flatten(), reduction="none").view(want.shape)
            something = want != 0  # accuracy where there is something to see; most patches are empty
            shown = (each * something).sum(1) / something.sum(1).clamp_min(1)
            empty = (each * ~something).sum(1) / (~something).sum(1).clamp_min(1)
            loss = loss + (shown + empty).sum()
            tally[f"patch {name}"] = (int((logits.argmax(-1) == want)[something].sum()), int(something.sum()))
        return loss, tally


def feature_penalty(features: torch.Tensor, target_power: float | torch.Tensor) -> torch.Tensor:
    """Keeps image features [tokens, width] at the token embeddings' scale (mean square `target_power`) and
    centred. Without it, the decoder first learns to drown the still meaningless features in one large constant
    vector (measured: norm 278 against 16 for a token), after which the RMSNorm in front of every layer divides
    the vision encoder's gradient by that norm, and image answers stay at chance."""
    power = features.pow(2).mean()
    centre = features.mean(0).pow(2).mean() / power.detach().clamp_min(1e-8)
    return torch.relu(power / target_power - 1) + centre
