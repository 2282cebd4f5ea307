"""The demo encoder's line reader: the text's characters, in reading order, in the first image tokens.

A decoder that reads a word off a grid of image tokens has to learn an order: the first character, then the
one right of it, and so on. On two CPU cores the demo decoder did not learn it (measured: after 1,250 joint
steps it named the right characters in no order, 8% of them in place, and no string right), although the
encoder saw the characters. The reader does the ordering inside the encoder instead, with nothing to learn
about order:

1. each column of patch states is pooled over its rows, weighted by a softmax of a per-patch "text line" score;
2. a linear head gives, at POINTS points across each column (2 pixels apart in the frame), the character there,
   whether the point is inside the string, and whether it is the first point of a character;
3. the running sum of the starts numbers the characters (a soft count, so everything stays differentiable), and
   slot k is the mean character distribution over the points numbered k; it is present when the count reaches k;
4. slot k, embedded into the text width (or the "no character" vector), is added to image token k.

So the decoder answers by copying image token j into the answer's j-th character: the same offset for every j,
which it learns in a few hundred steps. Every step is plain tensor code (CumSum, Softmax, MatMul) in
vision_encoder.onnx; the encoder's inputs and outputs keep the Idefics3 contract.

Training labels come from what the generator drew (`labels`); `loss` scores a reading against them.
"""
from __future__ import annotations

import dataclasses

import torch
from torch import nn

import demo_model  # noqa: F401  (puts models/tooling on the path)
import tasks
from kestrel_models.idefics3_vision import Idefics3VisionEncoder, VisionConfig
from naming import ColourNamer, Naming

POINTS = 8                               # points across each column of 16-pixel patches: 2 frame pixels apart
SLOTS = 6                                # the longest string the text task draws
CHARS = len(tasks.TEXT_ALPHABET)
IGNORE = -100


@dataclasses.dataclass
class Reading:
    line: torch.Tensor        # [n, rows, cols] logits: the patch is on the text line (softmax over rows pools columns)
    chars: torch.Tensor       # [n, points, CHARS] logits of the character at each point, left to right
    inside: torch.Tensor      # [n, points] logit: the point is inside the string
    start: torch.Tensor       # [n, points] logit: the point is the first one of a character
    slots: torch.Tensor       # [n, SLOTS, CHARS] the characters in reading order, as distributions
    present: torch.Tensor     # [n, SLOTS] in [0, 1]: the string has at least k + 1 characters


class LineReader(nn.Module):
    def __init__(self, width: int, text_width: int, side: int):
        super().__init__()
        self.side = side
        self.line = nn.Linear(width, 1)
        self.points = nn.Linear(width, POINTS * (CHARS + 2))
        self.embed = nn.Linear(CHARS, text_width, bias=False)
        self.absent = nn.Parameter(torch.zeros(text_width))

    def read(self, states: torch.Tensor) -> Reading:
        """states [n, side * side, width], the vision transformer's output row-major."""
        n, _, width = states.shape
        grid = states.reshape(n, self.side, self.side, width)                          # [n, rows, cols, width]
        line = self.line(grid).squeeze(-1)                                                # [n, rows, cols]
        columns = (torch.softmax(line, dim=1).unsqueeze(-1) * grid).sum(1)                # [n, cols, width]
        points = self.points(columns).reshape(n, self.side * POINTS, CHARS + 2)
        chars, inside, start = points.split([CHARS, 1, 1], dim=-1)
        inside, start = inside.squeeze(-1), start.squeeze(-1)
        return Reading(line, chars, inside, start, *collapse(chars, inside, start))

    def tokens(self, reading: Reading) -> torch.Tensor:
        """[n, SLOTS, text width]: what is added to the first SLOTS image tokens."""
        present = reading.present.unsqueeze(-1)
        return present * self.embed(reading.slots) + (1 - present) * self.absent

    def forward(self, states: torch.Tensor, features: torch.Tensor) -> tuple[torch.Tensor, Reading]:
        """features [n, tokens, text width] -> the same with the slots added to the first SLOTS tokens."""
        reading = self.read(states)
        head = features[:, :SLOTS] + self.tokens(reading)
        return torch.cat([head, features[:, SLOTS:]], dim=1), reading


def collapse(chars: torch.Tensor, inside: torch.Tensor, start: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Point logits, left to right -> (slots [n, SLOTS, CHARS], present [n, SLOTS]): the running count of starts
    numbers the points, slot k is the mean character distribution over the points numbered k + 1."""
    ordinal = torch.cumsum(torch.sigmoid(start) * torch.sigmoid(inside), dim=1)         # [n, points]: 1 on the first character
    k = torch.arange(1, SLOTS + 1, dtype=chars.dtype, device=chars.device)
    weight = torch.sigmoid(inside).unsqueeze(-1) * torch.relu(1 - (ordinal.unsqueeze(-1) - k).abs())  # [n, points, SLOTS]
    slots = torch.matmul(weight.transpose(1, 2), torch.softmax(chars, dim=-1))           # [n, SLOTS, CHARS]
    slots = slots / (weight.sum(1).unsqueeze(-1) + 1e-6)
    present = torch.clamp(ordinal[:, -1:] - k + 1, 0, 1)                                 # [n, SLOTS]
    return slots, present


def labels(case: tasks.Case, side: int) -> tuple[list[float], list[int], list[float], list[float], list[int]]:
    """What the generator drew, as the reader's targets on the frame the canvas is stretched to:
    (line rows [side]: 1 where a patch row overlaps the ink, all 0 without text; character per point [points]
    or IGNORE outside the string; inside [points]; start [points]; character per slot [SLOTS] or IGNORE)."""
    count = side * POINTS
    width, height = case.image.size
    rows = [0.0] * side
    chars, inside, start = [IGNORE] * count, [0.0] * count, [0.0] * count
    slots = [IGNORE] * SLOTS
    if case.glyphs:
        top, bottom = case.glyphs[0].box[1], case.glyphs[0].box[3]
        rows = [1.0 if r * height / side < bottom and (r + 1) * height / side > top else 0.0 for r in range(side)]
        seen = set()
        for t in range(count):
            x = (t + 0.5) * width / count
            for i, g in enumerate(case.glyphs):
                if g.box[0] <= x < g.box[2]:
                    chars[t], inside[t] = tasks.TEXT_ALPHABET.index(g.character), 1.0
                    if i not in seen:
                        start[t] = 1.0
                        seen.add(i)
        for i, g in enumerate(case.glyphs):
            slots[i] = tasks.TEXT_ALPHABET.index(g.character)
    return rows, chars, inside, start, slots


def batch_labels(cases: list[tasks.Case], side: int, device=None) -> tuple[torch.Tensor, ...]:
    return tensors([labels(c, side) for c in cases], device)


def tensors(per_picture: list[tuple], device=None) -> tuple[torch.Tensor, ...]:
    """`labels` of several pictures -> the five tensors `loss` takes, the pictures first."""
    kinds = [torch.float32, torch.long, torch.float32, torch.float32, torch.long]
    return tuple(torch.tensor(column, dtype=kind, device=device) for column, kind in zip(zip(*per_picture), kinds))


def balanced_bce(logits: torch.Tensor, want: torch.Tensor) -> torch.Tensor:
    """Per picture: mean binary cross-entropy over the positives plus the mean over the negatives, summed."""
    each = nn.functional.binary_cross_entropy_with_logits(logits, want, reduction="none")
    positive = (each * want).sum(1) / want.sum(1).clamp_min(1)
    negative = (each * (1 - want)).sum(1) / (1 - want).sum(1).clamp_min(1)
    return (positive + negative).sum()


def loss(reading: Reading, rows, chars, inside, start, slots) -> tuple[torch.Tensor, dict[str, tuple[int, int]]]:
    """(summed over pictures: line pooling, point characters, inside, starts, slot characters and presence;
    {name: (right, counted)}), "read" counting the pictures whose string the slots spell exactly."""
    text = rows.sum(1) > 0
    total = reading.line.new_zeros(())
    if bool(text.any()):
        # KL divergence of each column's pooling weights from even weights over the rows the text covers.
        target = (rows[text] / rows[text].sum(1, keepdim=True)).unsqueeze(-1).expand_as(reading.line[text])
        gap = torch.log(target.clamp_min(1e-12)) - torch.log_softmax(reading.line[text], dim=1)
        total = total + (target * gap).sum((1, 2)).sum() / reading.line.shape[2]
    labelled = chars != IGNORE
    each = nn.functional.cross_entropy(reading.chars.flatten(0, 1), chars.flatten(), ignore_index=IGNORE,
                                       reduction="none").view(chars.shape)
    total = total + ((each * labelled).sum(1) / labelled.sum(1).clamp_min(1)).sum()
    total = total + balanced_bce(reading.inside, inside) + balanced_bce(reading.start, start)
    has = slots != IGNORE
    picked = reading.slots.gather(2, slots.clamp_min(0).unsqueeze(-1)).squeeze(-1)    # [n, SLOTS]
    total = total - (torch.log(picked.clamp_min(1e-6)) * has).sum()
    present = reading.present.clamp(1e-6, 1 - 1e-6)
    total = total - (torch.log(present) * has + torch.log(1 - present) * ~has).sum()

    spelled = torch.where(reading.present > 0.5, reading.slots.argmax(-1), torch.full_like(slots, IGNORE))
    tally = {"read": (int((spelled == slots).all(1)[text].sum()), int(text.sum())),
             "point chars": (int((reading.chars.argmax(-1) == chars)[labelled].sum()), int(labelled.sum())),
             "slot chars": (int((reading.slots.argmax(-1) == slots)[has].sum()), int(has.sum()))}
    return total, tally


def spelled(reading: Reading) -> list[str]:
    """The strings the slots spell, for looking at."""
    out = []
    for slots, present in zip(reading.slots.argmax(-1).tolist(), reading.present.tolist()):
        out.append("".join(tasks.TEXT_ALPHABET[c] for c, p in zip(slots, present) if p > 0.5))
    return out


class ReadingEncoder(Idefics3VisionEncoder):
    """The demo model's vision_encoder.onnx: SmolVLM's encoder and connector, plus the line reader (image tokens 0
    to SLOTS - 1) and the colour namer (naming.py, the three tokens after them)."""

    def __init__(self, c: VisionConfig):
        super().__init__(c)
        self.reader = LineReader(c.hidden_size, c.text_hidden_size, c.patches_per_side)
        self.colours = ColourNamer(c.hidden_size, c.text_hidden_size, first=SLOTS)

    def forward(self, pixel_values, pixel_attention_mask):
        return self.read(pixel_values, pixel_attention_mask)[1]

    def read(self, pixel_values, pixel_attention_mask) -> tuple[torch.Tensor, torch.Tensor, Reading, Naming]:
        """(patch states [images, h*w, width], image features [images, tokens, text width], the reading, the
        naming)."""
        states, h, w = self.patch_states(pixel_values, pixel_attention_mask)
        features, reading = self.reader(states, self.connector(states, h, w))
        features, naming = self.colours(states, features)
        return states, features, reading, naming
