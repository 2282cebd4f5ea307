"""ONNX export in the onnx-community / transformers.js layout: decoders, split decoders, vision encoders."""
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


SEQ, PAST = 3, 2  # the lengths the exporter traces with; every one of them is dynamic in the graph


def _decoder_dummy_and_axes(model: TinyDecoder, first_input: str, first_value):
    """Tracing inputs and dynamic axes shared by the input_ids and inputs_embeds decoders."""
    c = model.c
    inputs, outputs = decoder_io_names(c.num_hidden_layers)
    inputs = [first_input, *inputs[1:]]
    dummy = (
        first_value,
        torch.ones(1, PAST + SEQ, dtype=torch.long),
        torch.arange(PAST, PAST + SEQ)[None],
        *[torch.randn(1, c.num_key_value_heads, PAST, c.head_dim) for _ in range(2 * c.num_hidden_layers)],
    )
    axes = {
        first_input: {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for name in inputs[3:]:
        axes[name] = {0: "batch_size", 2: "past_sequence_length"}
    for name in outputs[1:]:
        axes[name] = {0: "batch_size", 2: "total_sequence_length"}
    return inputs, outputs, dummy, axes


def export_decoder(model: TinyDecoder, path: str, check: bool = True) -> None:
    """Writes onnx/model.onnx: input_ids in, logits and present KV out, every length dynamic.
    Models over 2 GB come out with their weights as external files (check=False skips the checker)."""
    inputs, outputs, dummy, axes = _decoder_dummy_and_axes(model, "input_ids", torch.ones(1, SEQ, dtype=torch.long))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model.eval()
    torch.onnx.export(
        model, dummy, path,
        input_names=inputs, output_names=outputs, dynamic_axes=axes,
        opset_version=OPSET, do_constant_folding=True,
    )
    if check:
        onnx.checker.check_model(onnx.load(path))


class _Embed(torch.nn.Module):
    def __init__(self, model: TinyDecoder):
        super().__init__()
        self.embed_tokens = model.embed_tokens

    def forward(self, input_ids):
        return self.embed_tokens(input_ids)


class _DecoderFromEmbeds(torch.nn.Module):
    def __init__(self, model: TinyDecoder):
        super().__init__()
        self.model = model

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        return self.model.forward_embeds(inputs_embeds, attention_mask, position_ids, *past)


def export_split(model: TinyDecoder, onnx_dir: str) -> None:
    """Writes onnx/embed_tokens.onnx (input_ids -> inputs_embeds) and onnx/decoder_model_merged.onnx
    (inputs_embeds, attention_mask, position_ids, past -> logits, present), the vision-language layout."""
    c = model.c
    os.makedirs(onnx_dir, exist_ok=True)
    model.eval()
    embed_path = os.path.join(onnx_dir, "embed_tokens.onnx")
    torch.onnx.export(_Embed(model), (torch.ones(1, 3, dtype=torch.long),), embed_path,
                      input_names=["input_ids"], output_names=["inputs_embeds"],
                      dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                                    "inputs_embeds": {0: "batch_size", 1: "sequence_length"}},
                      opset_version=OPSET, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(embed_path))
    inputs, outputs, dummy, axes = _decoder_dummy_and_axes(model, "inputs_embeds", torch.randn(1, SEQ, c.hidden_size))
    decoder_path = os.path.join(onnx_dir, "decoder_model_merged.onnx")
    torch.onnx.export(_DecoderFromEmbeds(model), dummy, decoder_path, input_names=inputs, output_names=outputs,
                      dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(decoder_path))


def export_vision_encoder(encoder: torch.nn.Module, path: str) -> None:
    """Writes onnx/vision_encoder.onnx (pixel_values, pixel_attention_mask -> image_features), the Idefics3 layout:
    batch, images per prompt and the frame size are dynamic, and so is the number of real (non-padding) images."""
    c = encoder.c
    os.makedirs(os.path.dirname(path), exist_ok=True)
    encoder.eval()
    side = c.image_size
    dummy = (torch.randn(1, 2, c.num_channels, side, side), torch.ones(1, 2, side, side, dtype=torch.bool))
    torch.onnx.export(encoder, dummy, path, input_names=["pixel_values", "pixel_attention_mask"],
                      output_names=["image_features"],
                      dynamic_axes={"pixel_values": {0: "batch_size", 1: "num_images", 3: "height", 4: "width"},
                                    "pixel_attention_mask": {0: "batch_size", 1: "num_images", 2: "height", 3: "width"},
                                    "image_features": {0: "num_real_images", 1: "image_seq_len"}},
                      opset_version=OPSET, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def write_json(path: str, value) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)
        f.write("\n")
