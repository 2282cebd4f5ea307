"""Next-token training of the tiny test decoders: every document one row, the whole set each step."""
from __future__ import annotations

import os
import signal
import time
from typing import Callable

import torch

from .decoder import TinyDecoder


def run_arguments(parser, run: str, steps: int, batch: int, lr: float, eval_every: int, eval_count: int) -> None:
    """The options of a resumable training run: its folder, schedule, batch, time limit, threads, checkpoints, validation."""
    parser.add_argument("--run", default=run, help="checkpoint folder (resumed when it holds last.pt)")
    parser.add_argument("--steps", type=int, default=steps, help="length of the learning-rate schedule")
    parser.add_argument("--batch", type=int, default=batch)
    parser.add_argument("--lr", type=float, default=lr)
    parser.add_argument("--minutes", type=float, default=0, help="stop (with a checkpoint) after this long; 0: no limit")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--save-every", type=float, default=300, help="seconds between checkpoints")
    parser.add_argument("--eval-every", type=int, default=eval_every, help="steps between validation runs (0: never)")
    parser.add_argument("--eval-count", type=int, default=eval_count)


def save_atomically(path: str, state: dict) -> None:
    """torch.save to a temporary file, then a rename: a run killed while saving keeps its previous checkpoint."""
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


class Checkpoints:
    """When a run of run_arguments saves and stops: every --save-every seconds, at its last step, and when --minutes
    runs out or the process is asked to end (SIGTERM, as `kill` and a session's end send): it saves then, too."""

    def __init__(self, args, save: Callable[[int], None]):
        self.args, self.save = args, save
        self.started = self.saved = time.time()
        self.asked_to_end = False
        signal.signal(signal.SIGTERM, self._end)

    def _end(self, signum, frame) -> None:
        self.asked_to_end = True  # the step under way finishes; after() then saves and stops

    def after(self, step: int) -> bool:
        """Called after each step: saves when due; returns whether the run must stop now."""
        out_of_time = self.asked_to_end or bool(self.args.minutes) and time.time() - self.started > self.args.minutes * 60
        if time.time() - self.saved > self.args.save_every or out_of_time or step == self.args.steps:
            self.save(step)
            self.saved = time.time()
        return out_of_time


def length_groups(lengths: list[int], ratio: float) -> list[list[int]]:
    """Indices by length, shortest first, a new group wherever one is over `ratio` times its group's shortest:
    rows padded per group instead of to the longest of all."""
    groups: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: (lengths[i], i)):
        if groups and lengths[i] <= ratio * lengths[groups[-1][0]]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def train_next_token(model: TinyDecoder, docs: list[list[int]], pad: int, steps: int, width: int | None = None,
                     lr: float = 3e-3, embed: Callable[[torch.Tensor, list[int]], torch.Tensor] | None = None,
                     extra_parameters: list[torch.nn.Parameter] | None = None, unscored: set[int] | None = None,
                     groups: list[list[int]] | None = None) -> None:
    """Full-batch AdamW on next-token cross-entropy; rows are padded with `pad` to `width` (the longest by default).

    For vision-language models: embed(rows [docs, width], doc indices) -> [docs, width, hidden]
    replaces the token embedding, so image features computed in the step can stand in for the image
    tokens; extra_parameters (the vision encoder's) are trained with the decoder; targets in
    `unscored` (the image token) add no loss, since nothing predicts a placeholder. groups (lists of
    doc indices) split each step into row groups, each padded to its own longest document plus one,
    the loss still the mean over all of them: prompts with hundreds of image tokens next to short
    text-only ones would otherwise pad every row to the longest."""
    groups = groups or [list(range(len(docs)))]
    batches = []
    for group in groups:
        w = width if len(groups) == 1 and width else max(len(docs[i]) for i in group) + (len(groups) > 1)
        rows = torch.full((len(group), w), pad, dtype=torch.long)
        for row, i in enumerate(group):
            rows[row, : len(docs[i])] = torch.tensor(docs[i])
        targets = rows[:, 1:].clone()
        for token in unscored or ():
            targets[targets == token] = -100                                              # cross_entropy's ignore_index
        batches.append((group, rows, targets))
    scored = sum(int((targets != -100).sum()) for _, _, targets in batches)
    optimizer = torch.optim.AdamW(list(model.parameters()) + list(extra_parameters or []), lr=lr, weight_decay=0.0)
    model.train()
    for step in range(steps):
        optimizer.zero_grad()
        total = 0.0
        for group, rows, targets in batches:
            mask = torch.ones_like(rows)
            positions = torch.arange(rows.shape[1])[None].expand(rows.shape)
            if embed is None:
                logits, *_ = model(rows, mask, positions, *model.empty_past(len(group)))
            else:
                logits, *_ = model.forward_embeds(embed(rows, group), mask, positions, *model.empty_past(len(group)))
            logits = logits[:, :-1].reshape(-1, logits.shape[-1])
            if len(batches) == 1:
                loss = torch.nn.functional.cross_entropy(logits, targets.reshape(-1))
            else:
                loss = torch.nn.functional.cross_entropy(logits, targets.reshape(-1), reduction="sum") / scored
            loss.backward()
            total += loss.item()
        optimizer.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"step {step}: loss {total:.4f}")
    model.eval()
