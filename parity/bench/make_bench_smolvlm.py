#!/usr/bin/python3
"""A benchmark model with SmolVLM-256M-Instruct's shape and random weights, in the onnx-community layout.

Kestrel's tests cannot download real weights, but speed depends on shape, not on what the weights
say. The vision encoder is SmolVLM-256M's: 512 x 512 tiles of 16 x 16 patches (1024 a tile), hidden
768, 12 layers of 12 heads, gelu MLP 3072, then pixel shuffle 4 and a bias-free Linear(768 * 16 ->
576), so 64 tokens a tile. The text decoder is SmolLM2-135M's Llama: 30 layers, hidden 576, 9 query
and 3 key/value heads of 64, SwiGLU 1536, rope_theta 100000, untied LM head. The preprocessor is the
real one (tiles of 512, images resized to 2048 on the long edge at most, 4 x 4 tiles + the global image).

The tokenizer is the tiny fixture's (models/fixtures/tiny-smolvlm: byte-level BPE with SmolVLM's
special tokens and the real chat template), and the vocabulary is its 418 tokens so that every id
the random decoder picks decodes. The real vocabulary is 49280: here embed_tokens and the LM head
are tiny, so a decoding step does about 20% less work than the real model's (the 30 layers are
~106M multiply-adds a token, the real LM head another 28M). Everything else is full size.

Writes into the folder given (not committed: about 870 MB):

  config.json, generation_config.json           model_type idefics3, the ids of the tiny fixture's tokenizer
  preprocessor_config.json, processor_config.json
                                                SmolVLM-256M's exactly; image_seq_len 64
  tokenizer.json, tokenizer_config.json         copied from models/fixtures/tiny-smolvlm
  onnx/vision_encoder.onnx                      pixel_values, pixel_attention_mask -> image_features (fp32)
  onnx/embed_tokens.onnx                        input_ids -> inputs_embeds
  onnx/decoder_model_merged.onnx                inputs_embeds, attention_mask, position_ids, past -> logits, present
  onnx/decoder_model_merged_q4.onnx             the same with 4-bit MatMulNBits weights (block 32)

Every graph is under protobuf's 2 GB, so the weights are inline. ONNX files already in the folder are
kept (an interrupted run leaves none half-written); --force makes them again. Seeded: the same
weights every time.

    /usr/bin/python3 parity/bench/make_bench_smolvlm.py [FOLDER] [--force]
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time

import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "tooling"))

from kestrel_models.decoder import DecoderConfig, TinyDecoder  # noqa: E402
from kestrel_models.export import export_split, export_vision_encoder, write_json  # noqa: E402
from kestrel_models.idefics3_files import write_configs  # noqa: E402
from kestrel_models.idefics3_vision import Idefics3VisionEncoder, VisionConfig  # noqa: E402
from kestrel_models.quantize import quantize_model  # noqa: E402

TINY = os.path.join(ROOT, "models", "fixtures", "tiny-smolvlm")
VISION = VisionConfig(hidden_size=768, image_size=512, patch_size=16, num_hidden_layers=12, num_attention_heads=12,
                      intermediate_size=3072, layer_norm_eps=1e-6, scale_factor=4, text_hidden_size=576)
LONGEST_EDGE = 2048


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?",
                        default=os.path.join(tempfile.gettempdir(), "kestrel-bench", "smolvlm-256m-shaped"))
    parser.add_argument("--force", action="store_true", help="make the ONNX files again even where they exist")
    args = parser.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    start = time.monotonic()
    onnx_dir = os.path.join(args.folder, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)

    with open(os.path.join(TINY, "tokenizer.json"), encoding="utf-8") as f:
        tokenizer = json.load(f)
    ids = {t["content"]: t["id"] for t in tokenizer["added_tokens"]}
    vocab_size = max([*tokenizer["model"]["vocab"].values(), *ids.values()]) + 1
    assert vocab_size == 418, vocab_size
    bos, eos, pad, image_id = (ids[t] for t in ("<|im_start|>", "<end_of_utterance>", "<|endoftext|>", "<image>"))
    config = DecoderConfig(vocab_size=vocab_size, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                           num_attention_heads=9, num_key_value_heads=3, head_dim=64, max_position_embeddings=8192,
                           rms_norm_eps=1e-5, rope_theta=100000.0, tie_word_embeddings=False, model_type="llama")
    write_model_files(args.folder, config, bos, eos, pad, image_id)

    def missing(*names):
        return args.force or not all(os.path.isfile(os.path.join(onnx_dir, n)) for n in names)

    if missing("vision_encoder.onnx"):
        step = time.monotonic()
        torch.manual_seed(1)
        encoder = Idefics3VisionEncoder(VISION)
        randomize(encoder)
        with tempfile.TemporaryDirectory(dir=onnx_dir, prefix=".partial-") as work:
            export_vision_encoder(encoder, os.path.join(work, "vision_encoder.onnx"))
            os.replace(os.path.join(work, "vision_encoder.onnx"), os.path.join(onnx_dir, "vision_encoder.onnx"))
        del encoder
        print(f"vision_encoder.onnx: {time.monotonic() - step:.0f} s", flush=True)

    if missing("embed_tokens.onnx", "decoder_model_merged.onnx"):
        step = time.monotonic()
        torch.manual_seed(2)
        model = TinyDecoder(config)
        randomize(model)
        with tempfile.TemporaryDirectory(dir=onnx_dir, prefix=".partial-") as work:
            export_split(model, work)
            for name in ("embed_tokens.onnx", "decoder_model_merged.onnx"):
                os.replace(os.path.join(work, name), os.path.join(onnx_dir, name))
        del model
        print(f"embed_tokens.onnx, decoder_model_merged.onnx: {time.monotonic() - step:.0f} s", flush=True)

    if missing("decoder_model_merged_q4.onnx"):
        step = time.monotonic()
        with tempfile.TemporaryDirectory(dir=onnx_dir, prefix=".partial-") as work:
            q4 = os.path.join(work, "decoder_model_merged_q4.onnx")
            quantize_model(os.path.join(onnx_dir, "decoder_model_merged.onnx"), q4)
            onnx.checker.check_model(onnx.load(q4))
            os.replace(q4, os.path.join(onnx_dir, "decoder_model_merged_q4.onnx"))
        print(f"decoder_model_merged_q4.onnx: {time.monotonic() - step:.0f} s", flush=True)

    for dirpath, _, files in sorted(os.walk(args.folder)):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            size = os.path.getsize(path)
            shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"
            print(f"{shown:>10}  {os.path.relpath(path, args.folder)}")
    print(f"wrote {args.folder} in {time.monotonic() - start:.0f} s")


def randomize(module: torch.nn.Module):
    """Weights N(0, 0.02) as the real models are initialised; norms and biases keep their 1 and 0."""
    with torch.no_grad():
        for p in module.parameters():
            if p.dim() > 1:
                p.normal_(0, 0.02)


def write_model_files(folder: str, config: DecoderConfig, bos: int, eos: int, pad: int, image_id: int):
    """The JSON files of the tiny fixture's make_tiny_smolvlm.py with SmolVLM-256M's shapes; the tokenizer copied."""
    write_configs(folder, VISION, config, LONGEST_EDGE, bos, eos, pad, image_id)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(TINY, name), folder)


if __name__ == "__main__":
    main()
