"""ONNX export in the onnx-community / transformers.js layout."""
from __future__ import annotations

import json
import os

import onnx
import torch

from .decoder import TinyDecoder

OPSET = 17


def decoder_io_names(num_layers: int) -> tuple[list[str], list[str]]:
    past = [f"past_key_values.{i}.{kind}" for i in range(num_layers) for kind in ("key", "value")]
    present = [f"present.{i}.{kind}" for i in range(num_layers) for kind in ("key", "value")]
    return ["input_ids", "attention_mask", "position_ids", *past], ["logits", *present]


def export_decoder(model: TinyDecoder, path: str) -> None:
    """Writes onnx/model.onnx: input_ids in, logits and present KV out, every length dynamic."""
    c = model.c
    inputs, outputs = decoder_io_names(c.num_hidden_layers)
    seq, past_len = 3, 2
    dummy = (
        torch.ones(1, seq, dtype=torch.long),
        torch.ones(1, past_len + seq, dtype=torch.long),
        torch.arange(past_len, past_len + seq)[None],
        *[torch.randn(1, c.num_key_value_heads, past_len, c.head_dim) for _ in range(2 * c.num_hidden_layers)],
    )
    axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for name in inputs[3:]:
        axes[name] = {0: "batch_size", 2: "past_sequence_length"}
    for name in outputs[1:]:
        axes[name] = {0: "batch_size", 2: "total_sequence_length"}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model.eval()
    torch.onnx.export(
        model, dummy, path,
        input_names=inputs, output_names=outputs, dynamic_axes=axes,
        opset_version=OPSET, do_constant_folding=True,
    )
    graph = onnx.load(path)
    onnx.checker.check_model(graph)


def write_json(path: str, value) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)
        f.write("\n")
