#!/usr/bin/python3
"""A benchmark model with Qwen3-0.6B's shape and random weights, in the onnx-community layout.

Kestrel's tests cannot download real weights, but speed depends on shape, not on what the weights
say: 28 layers, hidden 1024, 16 query and 8 key/value heads of 128, SwiGLU 3072, vocabulary 151936,
tied embeddings, with the real Qwen3 tokenizer and chat template. Writes
onnx/model.onnx + onnx/model.onnx_data (fp32, external weights) and onnx/model_q4.onnx (4-bit
MatMulNBits, block 32) into the folder given (not committed: about 4 GB).

    /usr/bin/python3 parity/bench/make_bench_model.py [FOLDER] [--layers N]
"""
import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile

import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "tooling"))

from kestrel_models.decoder import DecoderConfig, TinyDecoder  # noqa: E402
from kestrel_models.export import export_decoder, write_json  # noqa: E402
from kestrel_models.quantize import quantize_model  # noqa: E402

TOKENIZER = os.path.join(ROOT, "models", "fixtures", "tokenizers", "qwen3")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=os.path.join(tempfile.gettempdir(), "kestrel-bench", "qwen3-0.6b-shaped"))
    parser.add_argument("--layers", type=int, default=28)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    config = DecoderConfig(vocab_size=151936, hidden_size=1024, intermediate_size=3072, num_hidden_layers=args.layers,
                           num_attention_heads=16, num_key_value_heads=8, head_dim=128, max_position_embeddings=40960,
                           rope_theta=1000000.0, tie_word_embeddings=True, qk_norm=True, model_type="qwen3")
    model = TinyDecoder(config)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() > 1:
                p.normal_(0, 0.02)
    os.makedirs(os.path.join(args.folder, "onnx"), exist_ok=True)
    with gzip.open(os.path.join(TOKENIZER, "tokenizer.json.gz"), "rb") as src, \
            open(os.path.join(args.folder, "tokenizer.json"), "wb") as dst:
        shutil.copyfileobj(src, dst)
    shutil.copy(os.path.join(TOKENIZER, "tokenizer_config.json"), args.folder)
    hf = config.hf_config(bos_token_id=151643, eos_token_id=151645)
    hf["transformers.js_config"] = {"use_external_data_format": {"model.onnx": 1}}
    write_json(os.path.join(args.folder, "config.json"), hf)
    write_json(os.path.join(args.folder, "generation_config.json"),
               {"bos_token_id": 151643, "eos_token_id": [151645, 151643], "do_sample": False})

    with tempfile.TemporaryDirectory() as work:
        raw = os.path.join(work, "model.onnx")
        export_decoder(model, raw, check=False)
        graph = onnx.load(raw, load_external_data=True)
        target = os.path.join(args.folder, "onnx", "model.onnx")
        onnx.save(graph, target, save_as_external_data=True, all_tensors_to_one_file=True, location="model.onnx_data",
                  size_threshold=1024)
        quantize_model(target, os.path.join(args.folder, "onnx", "model_q4.onnx"))
    print(f"wrote {args.folder}")


if __name__ == "__main__":
    main()
