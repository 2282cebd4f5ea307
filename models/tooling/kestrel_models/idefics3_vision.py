"""A tiny Idefics3 (SmolVLM) vision encoder and connector, with the contract of onnx-community's vision_encoder.onnx.

Inputs:  pixel_values [batch_size, num_images, 3, height, width] float32,
         pixel_attention_mask [batch_size, num_images, height, width] bool
Output:  image_features [num_real_images, patches / scale_factor^2, text hidden size] float32

The maths follows Hugging Face's Idefics3Model.get_image_features: padding images (all pixels
exactly 0.0) are dropped, a patch counts when any of its pixels is unmasked, a SigLIP-style vision
transformer (Conv2d patches + learned positions, pre-LayerNorm encoder layers with the patch mask as
key mask, gelu-tanh MLP, post LayerNorm), then the connector: pixel shuffle by scale_factor (each
s x s block of patches becomes one token s^2 times as wide) and a bias-free Linear into the text
model's hidden size. The token downsampling lives in the graph, as in the real exports.

Everything is batched tensor code, with no per-image Python loop, so that torch.onnx traces one
graph for any number of images and any tile size.
"""
from __future__ import annotations

import dataclasses

import torch
from torch import nn


@dataclasses.dataclass(frozen=True)
class VisionConfig:
    hidden_size: int = 32
    image_size: int = 64
    patch_size: int = 8
    num_hidden_layers: int = 1
    num_attention_heads: int = 2
    intermediate_size: int = 64
    layer_norm_eps: float = 1e-6
    num_channels: int = 3
    scale_factor: int = 2          # Idefics3Config.scale_factor: the connector's pixel shuffle
    text_hidden_size: int = 64     # the connector's output width, the decoder's hidden size

    @property
    def patches_per_side(self) -> int:
        return self.image_size // self.patch_size

    @property
    def image_seq_len(self) -> int:
        """Tokens per image tile, processor_config.json's image_seq_len."""
        return self.patches_per_side ** 2 // self.scale_factor ** 2

    def hf_config(self) -> dict:
        """vision_config in Idefics3Config."""
        return {
            "model_type": "idefics3_vision",
            "hidden_size": self.hidden_size,
            "image_size": self.image_size,
            "patch_size": self.patch_size,
            "num_hidden_layers": self.num_hidden_layers,
            "num_attention_heads": self.num_attention_heads,
            "intermediate_size": self.intermediate_size,
            "layer_norm_eps": self.layer_norm_eps,
            "num_channels": self.num_channels,
            "hidden_act": "gelu_pytorch_tanh",
            "attention_dropout": 0.0,
        }


def position_ids(patch_mask: torch.Tensor, per_side: int) -> torch.Tensor:
    """[images, h * w] int64: Idefics3VisionEmbeddings' bucketized positions, for every image at once.

    An image whose real part is rows x cols patches spreads them over the per_side x per_side table:
    patch i of a side gets bucket #{k : k / per_side <= float32(i * float32(1 / rows))}, the
    fractions computed in float64 as torch.arange does on the CPU. Patches outside the real part get 0.
    transformers assigns the ids to the mask's true entries in order; for masks that padding makes
    (the real part is the top-left rows x cols rectangle) that is this grid. A full 64 x 64 tile
    gets 0 .. 63 row-major."""
    _, h, w = patch_mask.shape
    boundaries = torch.arange(1 / per_side, 1.0, 1 / per_side)                           # [per_side - 1]
    mask = patch_mask.to(torch.int64)
    rows = mask[:, :, 0].sum(1)                                                        # [images]
    cols = mask[:, 0, :].sum(1)

    def buckets(count, length):
        step = (1.0 / count.to(torch.float32)).to(torch.float64)                           # [images]
        fractions = (torch.arange(length, dtype=torch.float64)[None] * step[:, None]).to(torch.float32)
        return (fractions[..., None] >= boundaries).to(torch.int64).sum(-1)               # [images, length]

    ids = buckets(rows, h)[:, :, None] * per_side + buckets(cols, w)[:, None, :]           # [images, h, w]
    inside = (torch.arange(h)[None, :, None] < rows[:, None, None]) & (torch.arange(w)[None, None, :] < cols[:, None, None])
    return torch.where(inside, ids, torch.zeros_like(ids)).flatten(1)


def splice(model, rows: torch.Tensor, features: torch.Tensor | None, image_id: int) -> torch.Tensor:
    """model.embed_tokens(rows) [b, s, hidden] with the image features [image tokens, hidden], in order, at the
    image tokens: what Idefics3's inputs_merger does and Kestrel does between embed_tokens.onnx and the decoder."""
    x = model.embed_tokens(rows)
    at = rows == image_id                                                                  # [b, s]
    if features is None:
        assert not bool(at.any())
        return x
    assert int(at.sum()) == features.shape[0], (int(at.sum()), features.shape)
    return x.masked_scatter(at[..., None].expand_as(x), features)


class VisionEmbeddings(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.c = c
        # padding=0 is transformers' padding="valid", in the form torch.onnx exports.
        self.patch_embedding = nn.Conv2d(c.num_channels, c.hidden_size, kernel_size=c.patch_size, stride=c.patch_size,
                                         padding=0)
        self.position_embedding = nn.Embedding(c.patches_per_side ** 2, c.hidden_size)

    def forward(self, pixels, patch_mask):
        x = self.patch_embedding(pixels).flatten(2).transpose(1, 2)                        # [images, h*w, dim]
        return x + self.position_embedding(position_ids(patch_mask, self.c.patches_per_side))


class VisionAttention(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.q_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.k_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.v_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.out_proj = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x, key_bias):
        n, s, dim = x.shape
        q = self.q_proj(x).view(n, s, self.heads, self.head_dim).transpose(1, 2)          # [images, heads, s, d]
        k = self.k_proj(x).view(n, s, self.heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(n, s, self.heads, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(2, 3)) * self.head_dim ** -0.5 + key_bias    # [images, heads, s, s]
        out = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(n, s, dim)
        return self.out_proj(out)


class VisionMlp(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.fc1 = nn.Linear(c.hidden_size, c.intermediate_size)
        self.fc2 = nn.Linear(c.intermediate_size, c.hidden_size)

    def forward(self, x):
        return self.fc2(nn.functional.gelu(self.fc1(x), approximate="tanh"))


class VisionLayer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.self_attn = VisionAttention(c)
        self.layer_norm2 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.mlp = VisionMlp(c)

    def forward(self, x, key_bias):
        x = x + self.self_attn(self.layer_norm1(x), key_bias)
        return x + self.mlp(self.layer_norm2(x))


class VisionTransformer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.embeddings = VisionEmbeddings(c)
        self.layers = nn.ModuleList(VisionLayer(c) for _ in range(c.num_hidden_layers))
        self.post_layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, pixels, patch_mask):
        x = self.embeddings(pixels, patch_mask)
        # Masked patches are hidden as keys (transformers' _prepare_4d_attention_mask); adding 0 changes nothing.
        visible = patch_mask.flatten(1)[:, None, None, :]                                  # [images, 1, 1, h*w]
        key_bias = torch.zeros(visible.shape, device=visible.device).masked_fill(~visible, torch.finfo(torch.float32).min)
        for layer in self.layers:
            x = layer(x, key_bias)
        return self.post_layernorm(x)


class Connector(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.scale_factor = c.scale_factor
        self.proj = nn.Linear(c.hidden_size * c.scale_factor ** 2, c.text_hidden_size, bias=False)

    def forward(self, x, h, w):
        """x [images, h*w, dim] -> [images, h*w / s^2, text hidden]. transformers takes h = w = sqrt(h*w)."""
        s = self.scale_factor
        dim = x.shape[2]
        x = x.reshape(-1, h, w, dim)                                                       # [images, h, w, dim]
        x = x.reshape(-1, h, w // s, dim * s)                                              # s neighbours in a row, side by side
        x = x.permute(0, 2, 1, 3)                                                          # [images, w/s, h, dim*s]
        x = x.reshape(-1, w // s, h // s, dim * s * s)                                     # s rows of them too
        x = x.permute(0, 2, 1, 3)                                                          # [images, h/s, w/s, dim*s*s]
        x = x.reshape(-1, (h // s) * (w // s), dim * s * s)
        return self.proj(x)


class Idefics3VisionEncoder(nn.Module):
    """vision_encoder.onnx: pixel_values and pixel_attention_mask in, image_features out."""

    def __init__(self, c: VisionConfig):
        super().__init__()
        self.c = c
        self.vision_model = VisionTransformer(c)
        self.connector = Connector(c)

    def forward(self, pixel_values, pixel_attention_mask):
        x, h, w = self.patch_states(pixel_values, pixel_attention_mask)
        return self.connector(x, h, w)                                                     # [images, h*w/s^2, text]

    def patch_states(self, pixel_values, pixel_attention_mask):
        """(the vision transformer's output [real images, h*w, dim], h, w): everything before the connector."""
        _, _, channels, height, width = pixel_values.shape
        p = self.c.patch_size
        pixels = pixel_values.reshape(-1, channels, height, width)                         # [batch*images, 3, H, W]
        mask = pixel_attention_mask.reshape(-1, height, width)                             # [batch*images, H, W]
        # Padding images are all 0.0 and dropped; when every image is padding, the first one stays.
        real = (pixels != 0).flatten(1).any(1)                                             # [batch*images]
        first = torch.arange(real.shape[0], device=real.device) == 0
        keep = torch.nonzero(real | (first & ~real.any())).flatten()
        pixels = pixels.index_select(0, keep)                                              # [images, 3, H, W]
        mask = mask.index_select(0, keep)
        h, w = height // p, width // p
        # A patch is real when any of its pixels is (transformers unfolds the mask into p x p squares).
        squares = mask[:, : h * p, : w * p].reshape(-1, h, p, w, p).to(torch.int64)        # [images, h, p, w, p]
        patch_mask = squares.sum((2, 4)) > 0                                               # [images, h, w]
        return self.vision_model(pixels, patch_mask), h, w                                 # [images, h*w, dim]

    def features(self, frames: torch.Tensor) -> torch.Tensor:
        """[N, 3, M, M] preprocessed frames of one prompt -> [N, seq, text hidden], every pixel real."""
        mask = torch.ones(1, frames.shape[0], frames.shape[2], frames.shape[3], dtype=torch.bool)
        return self(frames[None], mask)
