#!/usr/bin/python3
"""Pretrains the demo model's vision encoder on every label of its pictures (vision_probe.py), without the decoder.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 models/demo/training/pretrain_vision.py --minutes 30
    /usr/bin/python3 models/demo/training/train.py --vision models/demo/training/checkpoints/vision/last.pt ...

A picture gives 13 picture labels and 6 for each of its 256 patches here instead of the one answer it gives in train.py, and the gradient reaches the
encoder directly instead of through a decoder that has not yet learnt where to look, and a step costs a
fraction of a full one. Resumable like train.py: picture i of the run is a pure function of i (shapes or text, one to
two, from seed 2, a seed train.py does not use for cases); the run folder holds `last.pt`.
"""
from __future__ import annotations

import argparse
import os
import time

import torch

import demo_model
import tasks
from demo_model import VISION
from kestrel_models.idefics3_image import preprocess
import reading
from reading import ReadingEncoder
from kestrel_models.training import Checkpoints, run_arguments, save_atomically
from vision_probe import VisionProbe, encode, feature_penalty, patch_labels, picture_labels

SEED = 2
VALIDATION_SEED = 777
DEFAULT_RUN = os.path.join(demo_model.HERE, "checkpoints", "vision")
TOKEN_POWER = 1.0  # mean square of a token embedding in the decoder (norm 16 at width 256)
PENALTY = 0.1


def picture(index: int, seed: int = SEED) -> tasks.Case:
    """One picture in three shows shapes, two show text: reading is learnt far more slowly."""
    k, r = divmod(index, 3)
    return tasks.case("shapes", seed, k) if r == 0 else tasks.case("text", seed, 2 * k + r - 1)


def batch(indices, seed: int = SEED) -> tuple[torch.Tensor, tuple, tuple]:
    """(frames [pictures, 3, 256, 256], (picture labels [pictures, heads], patch labels [pictures, 256, heads]),
    the line reader's labels (reading.batch_labels))."""
    cases = [picture(i, seed) for i in indices]
    frames = torch.cat([torch.from_numpy(preprocess(c.image, demo_model.PREPROCESSOR).frames) for c in cases])
    probe = torch.tensor([picture_labels(c) for c in cases]), torch.tensor([patch_labels(c) for c in cases])
    return frames, probe, reading.batch_labels(cases, VISION.patches_per_side)


def new_encoder() -> ReadingEncoder:
    encoder = ReadingEncoder(VISION)
    with torch.no_grad():  # SigLIP's initialisation of the position table
        encoder.vision_model.embeddings.position_embedding.weight.normal_(std=VISION.hidden_size ** -0.5)
    return encoder


def load_encoder(encoder: ReadingEncoder, state: dict) -> None:
    """Loads encoder weights; those of encoders from before the line reader or the colour namer leave those as they
    are (the namer is trained in train.py's joint run only)."""
    missing, unexpected = encoder.load_state_dict(state, strict=False)
    if unexpected or any(not name.startswith(("reader.", "colours.")) for name in missing):
        raise ValueError(f"checkpoint does not fit the encoder: missing {missing}, unexpected {unexpected}")


def learning_rate(step: int, peak: float, total: int, warmup: int = 100) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    return peak * max(0.05, 1 - (step - warmup) / max(1, total - warmup))


@torch.no_grad()
def validate(encoder, probe, count: int) -> dict[str, float]:
    encoder.eval()
    frames, targets, reader_targets = batch(range(count), VALIDATION_SEED)
    patches, features, read, _ = encode(encoder, frames)
    _, tally = probe(patches, features, *targets)
    _, read_tally = reading.loss(read, *reader_targets)
    encoder.train()
    return {name: right / labelled for name, (right, labelled) in {**read_tally, **tally}.items()}


def report(scores: dict[str, float]) -> str:
    return ", ".join(f"{name} {100 * value:.0f}%" for name, value in scores.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    run_arguments(parser, DEFAULT_RUN, steps=3000, batch=64, lr=1e-3, eval_every=250, eval_count=400)
    parser.add_argument("--init", metavar="CHECKPOINT",
                        help="a fresh run starts from this pretrain_vision.py checkpoint's encoder and probe"
                             " (one from before the line reader leaves the reader new)")
    parser.add_argument("--reader-weight", type=float, default=1.0, help="weight of the line reader's loss")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(20261122)
    encoder, probe = new_encoder(), VisionProbe()
    parameters = list(encoder.parameters()) + list(probe.parameters())
    optimizer = torch.optim.AdamW(parameters, lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    os.makedirs(args.run, exist_ok=True)
    last = os.path.join(args.run, "last.pt")
    step = 0
    if os.path.exists(last):
        state = torch.load(last, map_location="cpu")
        encoder.load_state_dict(state["encoder"])
        probe.load_state_dict(state["probe"])
        optimizer.load_state_dict(state["optimizer"])
        step = state["step"]
        print(f"resumed at step {step} from {last}")
    elif args.init:
        state = torch.load(args.init, map_location="cpu")
        load_encoder(encoder, state["encoder"])
        probe.load_state_dict(state["probe"])
        print(f"starts from the encoder and probe of {args.init} (step {state['step']})")

    def save(at: int) -> None:
        save_atomically(last, {"step": at, "encoder": encoder.state_dict(), "probe": probe.state_dict(),
                               "optimizer": optimizer.state_dict(), "args": vars(args)})

    checkpoints = Checkpoints(args, save)
    window_start = time.time()
    window_loss, window_penalty, window = 0.0, 0.0, {}
    while step < args.steps:
        frames, targets, reader_targets = batch(range(step * args.batch, (step + 1) * args.batch))
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, args.lr, args.steps)
        patches, features, read, _ = encode(encoder, frames)
        loss, tally = probe(patches, features, *targets)
        read_loss, read_tally = reading.loss(read, *reader_targets)
        loss, tally = loss + args.reader_weight * read_loss, {**read_tally, **tally}
        penalty = feature_penalty(features.reshape(-1, features.shape[-1]), TOKEN_POWER)
        optimizer.zero_grad()
        (loss / len(frames) + PENALTY * penalty).backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        step += 1
        window_loss += loss.item() / len(frames)
        window_penalty += penalty.item()
        for name, (right, labelled) in tally.items():
            r, n = window.get(name, (0, 0))
            window[name] = (r + right, n + labelled)
        if step % 25 == 0:
            now = time.time()
            print(f"step {step}: loss {window_loss / 25:.3f}, penalty {window_penalty / 25:.3f},"
                  f" {(now - window_start) / 25:.2f} s/step; {report({k: r / n for k, (r, n) in window.items()})}",
                  flush=True)
            window_loss, window_penalty, window, window_start = 0.0, 0.0, {}, now
        if args.eval_every and step % args.eval_every == 0:
            print(f"step {step}: validation {report(validate(encoder, probe, args.eval_count))}", flush=True)
        if checkpoints.after(step):
            break
    print(f"stopped at step {step} of {args.steps}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
