"""Next-token training of the tiny test decoders: every document one row, the whole set each step."""
from __future__ import annotations

import torch

from .decoder import TinyDecoder


def train_next_token(model: TinyDecoder, docs: list[list[int]], pad: int, steps: int, width: int | None = None,
                     lr: float = 3e-3) -> None:
    """Full-batch AdamW on next-token cross-entropy; rows are padded with `pad` to `width` (the longest by default)."""
    width = width or max(len(d) for d in docs)
    rows = torch.full((len(docs), width), pad, dtype=torch.long)
    for i, d in enumerate(docs):
        rows[i, : len(d)] = torch.tensor(d)
    mask = torch.ones_like(rows)
    positions = torch.arange(width)[None].expand(len(docs), width)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    model.train()
    for step in range(steps):
        logits, *_ = model(rows, mask, positions, *model.empty_past(len(docs)))
        loss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), rows[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"step {step}: loss {loss.item():.4f}")
    model.eval()
