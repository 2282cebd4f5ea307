#!/usr/bin/python3
"""Turns the committed export (models/demo/onnx) back into a train.py checkpoint, so training resumes from it.

    /usr/bin/python3 models/demo/training/from_export.py --run models/demo/training/checkpoints/joint-reader

Checkpoints are not committed (they are large and change every few minutes), and a session's files end with the
session: the export is the one copy of the weights that always survives. This reads every weight back out of
vision_encoder.onnx, embed_tokens.onnx and decoder_model_merged.onnx:

  - initializers that keep their parameter name (biases, norms, tables): `vision_model.X` -> `encoder.vision_model.X`,
    `model.X` -> `decoder.X`, `embed_tokens.weight` -> `decoder.embed_tokens.weight`;
  - the weights of Linear layers, which the exporter stores transposed under a generated name (`onnx::MatMul_123`):
    found through the MatMul node that uses them, `/layers.0/self_attn/q_proj/MatMul` -> `layers.0.self_attn.q_proj.weight`.

It then writes RUN/last.pt at the export's step (training.json) without optimizer state, after checking that
exporting the loaded model again gives every weight back bit for bit. The vision probe's heads are not exported and start fresh;
train.py re-warms the learning rate when it resumes without optimizer state.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile

import numpy as np
import onnx
import torch
from onnx import numpy_helper

import demo_model
import train
from demo_model import Sequences
from kestrel_models.export import export_split, export_vision_encoder
from kestrel_models.training import save_atomically

EXPORT = os.path.join(demo_model.ROOT, "models", "demo")
# ONNX file -> the prefix of its weights in train.Model's state dict.
PREFIX = {"vision_encoder.onnx": "encoder.", "embed_tokens.onnx": "decoder.", "decoder_model_merged.onnx": "decoder."}


def weights(path: str, prefix: str) -> dict[str, torch.Tensor]:
    """The graph's weights, named as train.Model names them."""
    graph = onnx.load(path).graph
    values = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    out = {}
    for node in graph.node:
        if node.op_type != "MatMul" or not node.name.endswith("/MatMul"):
            continue
        for name in node.input:
            if name.startswith("onnx::MatMul") and name in values:
                module = ".".join(part for part in node.name.split("/")[1:-1])
                out[prefix + module + ".weight"] = torch.from_numpy(values.pop(name).T.copy())
    for name, value in values.items():
        if name.startswith("onnx::"):
            raise ValueError(f"{path}: cannot tell which parameter {name} {value.shape} is")
        key = name[len("model."):] if name.startswith("model.") else name
        out[prefix + key] = torch.from_numpy(value.copy())
    return out


def load(folder: str, vocab_size: int) -> tuple[train.Model, set[str]]:
    """A train.Model with every exported weight of `folder`, and those weights' names; raises if one is missing or
    left over."""
    model = train.Model(vocab_size)
    state = {}
    for file, prefix in PREFIX.items():
        state.update(weights(os.path.join(folder, "onnx", file), prefix))
    fresh = model.load(state)
    parts = sorted({name.rsplit(".", 1)[0] for name in fresh})
    print(f"not in the export, so train.py starts them fresh: {', '.join(parts)}")
    return model, set(state)


def check(model: train.Model, folder: str) -> None:
    """Exports `model` again and requires every weight of the export to come back bit for bit: a weight read back
    transposed or under the wrong name (two square matrices of one layer, say) would not. Parts the export did not
    have (train.FRESH_PARTS) come out new."""
    with tempfile.TemporaryDirectory() as tmp:
        export_vision_encoder(model.encoder, os.path.join(tmp, "vision_encoder.onnx"))
        export_split(model.decoder, tmp)
        for file, prefix in PREFIX.items():
            before, after = weights(os.path.join(folder, "onnx", file), prefix), weights(os.path.join(tmp, file), prefix)
            lost = before.keys() - after.keys()
            new = {n for n in after.keys() - before.keys() if not n.startswith(train.FRESH_PARTS)}
            if lost or new:
                raise ValueError(f"{file}: after a round trip, {sorted(lost)} are gone and {sorted(new)} are new")
            for name, value in before.items():
                if not torch.equal(value, after[name]):
                    raise ValueError(f"{file}: {name} differs after a round trip")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", default=EXPORT, help="the model folder (models/demo)")
    parser.add_argument("--run", required=True, help="run folder to write last.pt into (must not hold one yet)")
    args = parser.parse_args()
    last = os.path.join(args.run, "last.pt")
    if os.path.exists(last):
        raise SystemExit(f"{last} exists: resume that run instead, or choose another --run")
    seqs = Sequences(demo_model.tokenizer())
    model, exported = load(args.export, len(seqs.bpe.vocab))
    with open(os.path.join(args.export, "training.json"), encoding="utf-8") as f:
        trained = json.load(f)
    check(model, args.export)
    print("every weight reads back bit for bit")
    os.makedirs(args.run, exist_ok=True)
    # Only what the export holds: train.py then sees the other parts missing and starts them as it starts new parts.
    weights_only = {name: value for name, value in model.state_dict().items() if name in exported}
    save_atomically(last, {"step": trained["step"], "model": weights_only, "args": trained["args"]})
    print(f"wrote {last} at step {trained['step']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
