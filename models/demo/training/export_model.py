#!/usr/bin/python3
"""Writes the demo model folder (models/demo) from a training checkpoint, in the onnx-community SmolVLM layout.

    /usr/bin/python3 models/demo/training/export_model.py [--checkpoint models/demo/training/checkpoints/last.pt]

  config.json, generation_config.json     model_type idefics3 (Llama decoder, Idefics3 vision encoder)
  preprocessor_config.json,               SmolVLM's preprocessing: 256 on the long edge, one 256 x 256 frame
  processor_config.json
  tokenizer.json, tokenizer_config.json   byte-level BPE, digits split; the chat template with enable_thinking
  onnx/vision_encoder.onnx                pixel_values, pixel_attention_mask -> image_features
  onnx/embed_tokens.onnx                  input_ids -> inputs_embeds
  onnx/decoder_model_merged.onnx          inputs_embeds, attention_mask, position_ids, past -> logits, present
  onnx/decoder_model_merged_q4.onnx       the same with 4-bit MatMulNBits weights (block 32)
  examples/                               pictures to try (the first-run prompts and the Java tests use them)

The folder's README.md (the model card) is written by hand and left alone.
"""
from __future__ import annotations

import argparse
import json
import os
import random

import onnx
import torch

import demo_model
import tasks
import train
from demo_model import LONGEST_EDGE, VISION, Sequences
from kestrel_models.export import export_split, export_vision_encoder, write_json
from kestrel_models.idefics3_files import write_configs
from kestrel_models.quantize import quantize_model

OUT = os.path.join(demo_model.ROOT, "models", "demo")
MAX_BYTES = 40 * 1024 * 1024
GENERATED = ["config.json", "generation_config.json", "preprocessor_config.json", "processor_config.json",
             "tokenizer.json", "tokenizer_config.json"]
ONNX = ["vision_encoder.onnx", "embed_tokens.onnx", "decoder_model_merged.onnx", "decoder_model_merged_q4.onnx"]


def examples(folder: str) -> None:
    """Pictures drawn exactly as the tasks define them: shapes on 256 x 256 (a size that needs no resizing),
    shapes on a wide canvas, and a word to read."""
    os.makedirs(folder, exist_ok=True)
    tasks.shapes_case(random.Random("example/shapes"), size=(256, 256)).image.save(os.path.join(folder, "shapes.png"))
    tasks.shapes_case(random.Random("example/wide"), size=(240, 120)).image.save(os.path.join(folder, "shapes-wide.png"))
    tasks.text_case(random.Random("example/text"), size=(200, 64), text="KESTRL").image.save(
        os.path.join(folder, "text.png"))


def write_tokenizer(folder: str, seqs: Sequences) -> None:
    seqs.bpe.save(os.path.join(folder, "tokenizer.json"))
    write_json(os.path.join(folder, "tokenizer_config.json"), {
        "tokenizer_class": "GPT2Tokenizer", "add_bos_token": False, "add_prefix_space": False,
        "bos_token": demo_model.START, "eos_token": demo_model.END, "pad_token": demo_model.PAD,
        "unk_token": demo_model.PAD,
        "additional_special_tokens": [demo_model.THINK, demo_model.UNTHINK, "<fake_token_around_image>",
                                      demo_model.IMAGE, "<global-img>"],
        "model_max_length": demo_model.CONTEXT, "processor_class": "Idefics3Processor",
        "clean_up_tokenization_spaces": False, "chat_template": demo_model.TEMPLATE})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", default=os.path.join(train.DEFAULT_RUN, "last.pt"))
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()

    torch.manual_seed(0)
    seqs = Sequences(demo_model.tokenizer())
    vocab = seqs.bpe.vocab
    model = train.Model(len(vocab))
    state = torch.load(args.checkpoint, map_location="cpu")
    model.load(state["model"])
    model.eval()
    print(f"checkpoint at step {state['step']}")

    onnx_dir = os.path.join(args.out, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    write_configs(args.out, VISION, demo_model.decoder_config(len(vocab)), LONGEST_EDGE, vocab[demo_model.START],
                  vocab[demo_model.END], vocab[demo_model.PAD], vocab[demo_model.IMAGE])
    write_tokenizer(args.out, seqs)
    export_vision_encoder(model.encoder, os.path.join(onnx_dir, "vision_encoder.onnx"))
    export_split(model.decoder, onnx_dir)
    quantize_model(os.path.join(onnx_dir, "decoder_model_merged.onnx"), os.path.join(onnx_dir, "decoder_model_merged_q4.onnx"))
    onnx.checker.check_model(onnx.load(os.path.join(onnx_dir, "decoder_model_merged_q4.onnx")))
    examples(os.path.join(args.out, "examples"))
    with open(os.path.join(args.out, "training.json"), "w", encoding="utf-8") as f:
        json.dump({"step": state["step"], "samples": state["step"] * state["args"]["batch"], "args": state["args"]}, f,
                  indent=2)
        f.write("\n")

    total = 0
    for root, dirs, files in os.walk(args.out):
        dirs[:] = [d for d in dirs if d != "training"]                     # the code beside the model is not shipped
        for name in sorted(files):
            size = os.path.getsize(os.path.join(root, name))
            total += size
            print(f"{os.path.relpath(os.path.join(root, name), args.out)}: {size / 1e6:.2f} MB")
    print(f"all files: {total / 1e6:.2f} MB")
    if total > MAX_BYTES:
        raise SystemExit(f"the demo model is {total} bytes, over the {MAX_BYTES} byte limit")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
