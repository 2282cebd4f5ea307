"""The JSON files of an idefics3 (SmolVLM) model folder in the onnx-community layout, shared by the
tiny test fixture, the benchmark model and the demo model so their folders cannot drift apart."""
from __future__ import annotations

import os

from .decoder import DecoderConfig
from .export import write_json
from .idefics3_vision import VisionConfig


def preprocessor_config(vision: VisionConfig, longest_edge: int) -> dict:
    """preprocessor_config.json exactly in SmolVLM's shape: Lanczos, mean/std 0.5, splitting on."""
    return {
        "do_convert_rgb": True, "do_image_splitting": True, "do_normalize": True, "do_pad": True, "do_rescale": True,
        "do_resize": True, "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "Idefics3ImageProcessor",
        "image_std": [0.5, 0.5, 0.5], "max_image_size": {"longest_edge": vision.image_size},
        "processor_class": "Idefics3Processor", "resample": 1, "rescale_factor": 1 / 255,
        "size": {"longest_edge": longest_edge},
    }


def write_configs(folder: str, vision: VisionConfig, text: DecoderConfig, longest_edge: int, bos: int, eos: int, pad: int,
                  image_id: int) -> None:
    """config.json, generation_config.json, preprocessor_config.json and processor_config.json."""
    text_config = text.hf_config(bos_token_id=bos, eos_token_id=eos)
    text_config["pad_token_id"] = pad
    write_json(os.path.join(folder, "config.json"), {
        "architectures": ["Idefics3ForConditionalGeneration"], "model_type": "idefics3", "image_token_id": image_id,
        "scale_factor": vision.scale_factor, "text_config": text_config, "vision_config": vision.hf_config(),
        "vocab_size": text.vocab_size, "bos_token_id": bos, "eos_token_id": eos, "pad_token_id": pad,
        "tie_word_embeddings": False, "torch_dtype": "float32", "use_cache": True})
    write_json(os.path.join(folder, "generation_config.json"), {"bos_token_id": bos, "eos_token_id": eos, "pad_token_id": pad})
    write_json(os.path.join(folder, "preprocessor_config.json"), preprocessor_config(vision, longest_edge))
    write_json(os.path.join(folder, "processor_config.json"),
               {"image_seq_len": vision.image_seq_len, "processor_class": "Idefics3Processor"})
