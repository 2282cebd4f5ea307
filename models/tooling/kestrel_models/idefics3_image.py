"""Idefics3 / SmolVLM image preprocessing and prompt expansion, the reference the Java processor must match.

A re-implementation, for one image at a time, of what Hugging Face's Idefics3ImageProcessor and
Idefics3Processor do with SmolVLM's preprocessor_config.json, with PIL and numpy only (Kestrel's
tooling has no `transformers`):

1. RGB: anything but RGB is alpha-composited onto opaque white (transformers' convert_to_rgb).
   Kestrel composites first, before any resizing. transformers' slow processor resizes the RGBA
   array and composites afterwards; the two differ by a level or two at transparent edges only.
2. Resize (aspect kept, small images upscaled) so the longest edge is size.longest_edge, the
   shorter edge rounded up to an even number; then below 4096 pixels a side. PIL LANCZOS.
3. Splitting: resize again to whole multiples of max_image_size.longest_edge (M) per side.
4. Cut into rows x cols tiles of M x M, row-major, then append the whole step-3 image resized to
   M x M (the "global" image). An image that already fits in M x M is one frame, rows = cols = 0.
5. Per frame: float32(float64(u8) * rescale_factor), then (x - mean) / std in float32, [3, M, M].

Every resize is PIL's Image.resize with LANCZOS (resample 1), as transformers does it.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
from PIL import Image

MAX_IMAGE_SIZE = 4096  # transformers' upper bound for the longest edge after step 2


@dataclasses.dataclass
class ProcessedImage:
    frames: np.ndarray           # [N, 3, M, M] float32: tiles row-major, then the global image
    rows: int                    # 0 when the image was not split
    cols: int
    resized: tuple[int, int]     # (width, height) after step 2
    tiled: tuple[int, int]       # (width, height) after step 3


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB as transformers' convert_to_rgb makes it: transparency composited onto opaque white."""
    if image.mode == "RGB":
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def longest_edge_size(width: int, height: int, longest_edge: int) -> tuple[int, int]:
    """Step 2's (width, height): the longest edge becomes longest_edge, the other edge is rounded up to even."""
    aspect = width / height
    if width >= height:
        width = longest_edge
        height = int(width / aspect)
        if height % 2 != 0:
            height += 1
    else:
        height = longest_edge
        width = int(height * aspect)
        if width % 2 != 0:
            width += 1
    width, height = max(width, 1), max(height, 1)
    # Then below the upper bound, the same way but without the even rule.
    aspect = width / height
    if width >= height and width > MAX_IMAGE_SIZE:
        width = MAX_IMAGE_SIZE
        height = int(width / aspect)
    elif height > width and height > MAX_IMAGE_SIZE:
        height = MAX_IMAGE_SIZE
        width = int(height * aspect)
    return max(width, 1), max(height, 1)


def vision_encoder_size(width: int, height: int, tile: int) -> tuple[int, int]:
    """Step 3's (width, height): whole multiples of the tile side, the longer side first (resize_for_vision_encoder)."""
    aspect = width / height
    if width >= height:
        width = math.ceil(width / tile) * tile
        height = int(width / aspect)
        height = math.ceil(height / tile) * tile
    else:
        height = math.ceil(height / tile) * tile
        width = int(height * aspect)
        width = math.ceil(width / tile) * tile
    return width, height


def split(image: Image.Image, tile: int) -> tuple[list[Image.Image], int, int]:
    """Step 4: row-major tiles, then the global image; (frames, rows, cols), rows = cols = 0 when not split."""
    width, height = image.size
    if height <= tile and width <= tile:
        return [image], 0, 0
    rows, cols = math.ceil(height / tile), math.ceil(width / tile)
    tile_h, tile_w = math.ceil(height / rows), math.ceil(width / cols)
    frames = []
    for r in range(rows):
        for c in range(cols):
            # transformers crops [start, min(start + tile, size)); after step 3 every tile is whole.
            x, y = c * tile_w, r * tile_h
            frames.append(image.crop((x, y, min(x + tile_w, width), min(y + tile_h, height))))
    return frames + [image.resize((tile, tile), resample=Image.LANCZOS)], rows, cols


def normalize(frame: Image.Image, config: dict) -> np.ndarray:
    """Step 5: [3, H, W] float32, rescaled in float64 then cast (transformers' rescale), normalized in float32."""
    x = np.asarray(frame, dtype=np.uint8)                                              # [H, W, 3]
    if config.get("do_rescale", True):
        x = (x.astype(np.float64) * config["rescale_factor"]).astype(np.float32)
    else:
        x = x.astype(np.float32)
    if config.get("do_normalize", True):
        mean = np.array(config["image_mean"], dtype=np.float32)
        std = np.array(config["image_std"], dtype=np.float32)
        x = (x - mean) / std
    return np.ascontiguousarray(x.transpose(2, 0, 1), dtype=np.float32)                # [3, H, W]


def preprocess(image: Image.Image, config: dict) -> ProcessedImage:
    """One image as Idefics3ImageProcessor (config = preprocessor_config.json) prepares it for the vision encoder."""
    if config.get("do_convert_rgb", True):
        image = to_rgb(image)
    tile = config["max_image_size"]["longest_edge"]
    if config.get("do_resize", True):
        size = longest_edge_size(*image.size, config["size"]["longest_edge"])
        image = image.resize(size, resample=Image.LANCZOS)
    resized = image.size
    if config.get("do_image_splitting", True):
        image = image.resize(vision_encoder_size(*image.size, tile), resample=Image.LANCZOS)
        tiled = image.size
        frames, rows, cols = split(image, tile)
    else:
        tiled = image.size
        frames, rows, cols = [image.resize((tile, tile), resample=Image.LANCZOS)], 0, 0
    for f in frames:
        assert f.size == (tile, tile), f"frame {f.size} is not {tile}x{tile}"
    return ProcessedImage(np.stack([normalize(f, config) for f in frames]), rows, cols, resized, tiled)


# -- prompt expansion (Idefics3Processor) -------------------------------------------------------
FAKE = "<fake_token_around_image>"
IMAGE = "<image>"
GLOBAL = "<global-img>"


def image_prompt(rows: int, cols: int, image_seq_len: int) -> str:
    """The text one `<image>` of the chat prompt becomes: a token run per tile, then the global image's."""
    tokens = IMAGE * image_seq_len
    if rows == 0 and cols == 0:
        return f"{FAKE}{GLOBAL}{tokens}{FAKE}"
    text = ""
    for r in range(rows):
        for c in range(cols):
            text += f"{FAKE}<row_{r + 1}_col_{c + 1}>{tokens}"
        text += "\n"
    return text + f"\n{FAKE}{GLOBAL}{tokens}{FAKE}"


def expand_prompt(prompt: str, images: list[ProcessedImage], image_seq_len: int) -> str:
    """Each `<image>` of the rendered chat prompt replaced, in order, by its image's expansion."""
    parts = prompt.split(IMAGE)
    if len(parts) - 1 != len(images):
        raise ValueError(f"the prompt has {len(parts) - 1} {IMAGE} tokens for {len(images)} images")
    out = parts[0]
    for image, text in zip(images, parts[1:]):
        out += image_prompt(image.rows, image.cols, image_seq_len) + text
    return out
