"""The demo encoder's colour namer: the colour of each kind of shape, in image tokens 6, 7 and 8.

To answer "What color is the triangle?" from plain image tokens, the decoder has to find the token that shows the
triangle and read its colour there. On two CPU cores the demo decoder did not learn that well (measured with the
Java engine after 1,051 joint steps: colours right 57% of the time), although the encoder knew them (its probe's
colour heads, linear on the mean image feature, were right 95-98% of the time). The namer does the finding inside
the encoder instead, the way the line reader (reading.py) does the reading order:

1. a linear head on each patch state gives the kind of shape covering the patch (or nothing) and its colour;
2. for each kind, the patches are weighted by how surely they show that kind, and the colour distributions of
   those patches are averaged: the colour of the kind, as a distribution over the palette;
3. image token `first` + k gets kind k's marker plus its colour distribution, embedded into the text width.

Both start as the decoder's own embeddings (the question's word " triangle", the answer's tokens of "purple"),
so the decoder answers by finding the token that looks like the question's shape and copying the colour in it.
Every step is plain tensor code (Softmax, MatMul) in vision_encoder.onnx; the Idefics3 contract is unchanged.
"""
from __future__ import annotations

import dataclasses

import torch
from torch import nn

import tasks
from vision_probe import PATCH_HEADS, PICTURE_HEADS

KINDS = tasks.SHAPES
COLOURS = list(tasks.PALETTE)
IGNORE = -100


@dataclasses.dataclass
class Naming:
    kinds: torch.Tensor       # [n, patches, 1 + KINDS] logits: the kind of shape covering the patch (0: none)
    colours: torch.Tensor     # [n, patches, COLOURS] logits: the colour of the shape covering the patch
    named: torch.Tensor       # [n, KINDS, COLOURS]: each kind's colour, as a distribution


class ColourNamer(nn.Module):
    def __init__(self, width: int, text_width: int, first: int):
        """first: the first image token the namer adds to (the line reader has the ones before)."""
        super().__init__()
        self.first = first
        self.patch = nn.Linear(width, 1 + len(KINDS) + len(COLOURS))
        self.marker = nn.Parameter(torch.zeros(len(KINDS), text_width))
        self.embed = nn.Linear(len(COLOURS), text_width, bias=False)

    def name(self, states: torch.Tensor) -> Naming:
        """states [n, patches, width] -> the naming."""
        kinds, colours = self.patch(states).split([1 + len(KINDS), len(COLOURS)], dim=-1)
        return pool(kinds, colours)

    def forward(self, states: torch.Tensor, features: torch.Tensor) -> tuple[torch.Tensor, Naming]:
        """features [n, tokens, text width] -> the same with kind k's marker and colour added to token first + k."""
        naming = self.name(states)
        end = self.first + len(KINDS)
        middle = features[:, self.first:end] + self.marker + self.embed(naming.named)
        return torch.cat([features[:, :self.first], middle, features[:, end:]], dim=1), naming

    @torch.no_grad()
    def from_tokens(self, embeddings: torch.Tensor, encode) -> None:
        """Starts marker k as the embedding of " {kind}" and colour c as the mean embedding of its answer's tokens.
        embeddings: the decoder's table; encode: text -> token ids."""
        for k, kind in enumerate(KINDS):
            self.marker[k] = embeddings[encode(" " + kind)].mean(0)
        for c, colour in enumerate(COLOURS):
            self.embed.weight[:, c] = embeddings[encode(colour)].mean(0)


def pool(kinds: torch.Tensor, colours: torch.Tensor) -> Naming:
    """Patch logits (kinds [n, patches, 1 + KINDS], colours [n, patches, COLOURS]) -> the naming: each kind's
    patches, weighted by how surely they show it, average their colour distributions."""
    cover = torch.softmax(kinds, dim=-1)[..., 1:]                                         # [n, patches, KINDS]
    weight = cover / (cover.sum(1, keepdim=True) + 1e-6)
    named = torch.matmul(weight.transpose(1, 2), torch.softmax(colours, dim=-1))          # [n, KINDS, COLOURS]
    return Naming(kinds, colours, named)


def targets(picture: torch.Tensor, patch: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """vision_probe's picture labels [n, heads] and patch labels [n, patches, heads] -> (kind per patch, 0: none;
    colour per patch, IGNORE where no shape is; colour per kind, IGNORE unless exactly one such shape is drawn)."""
    patch_heads, picture_heads = list(PATCH_HEADS), list(PICTURE_HEADS)
    kind = patch[..., patch_heads.index("shape")]
    colour = patch[..., patch_heads.index("colour")] - 1
    colour = torch.where(colour >= 0, colour, torch.full_like(colour, IGNORE))
    named = torch.stack([picture[:, picture_heads.index(f"{k} colour")] - 1 for k in KINDS], dim=1)
    named = torch.where(named >= 0, named, torch.full_like(named, IGNORE))
    return kind, colour, named


def loss(naming: Naming, kind: torch.Tensor, colour: torch.Tensor, named: torch.Tensor
         ) -> tuple[torch.Tensor, dict[str, tuple[int, int]]]:
    """(summed over pictures: the patch kinds, the mean over patches that show something plus the mean over the
    rest; the patch colours; each kind's named colour; {name: (right, counted)})."""
    each = nn.functional.cross_entropy(naming.kinds.flatten(0, 1), kind.flatten(), reduction="none").view(kind.shape)
    something = kind != 0
    total = ((each * something).sum(1) / something.sum(1).clamp_min(1)
             + (each * ~something).sum(1) / (~something).sum(1).clamp_min(1)).sum()
    total = total + nn.functional.cross_entropy(naming.colours.flatten(0, 1), colour.flatten(), ignore_index=IGNORE,
                                                reduction="sum") / something.sum().clamp_min(1) * kind.shape[0]
    has = named != IGNORE
    picked = naming.named.gather(2, named.clamp_min(0).unsqueeze(-1)).squeeze(-1)          # [n, KINDS]
    total = total - (torch.log(picked.clamp_min(1e-6)) * has).sum()
    tally = {"named colours": (int((naming.named.argmax(-1) == named)[has].sum()), int(has.sum())),
             "patch kinds": (int((naming.kinds.argmax(-1) == kind)[something].sum()), int(something.sum()))}
    return total, tally
