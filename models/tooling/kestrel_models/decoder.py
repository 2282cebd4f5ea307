"""A tiny Llama-style causal decoder with the input/output contract of onnx-community exports.

Inputs:  input_ids [batch, seq] int64, attention_mask [batch, past+seq] int64,
         position_ids [batch, seq] int64, past_key_values.{i}.key/value [batch, kv_heads, past, head_dim]
Outputs: logits [batch, seq, vocab], present.{i}.key/value [batch, kv_heads, past+seq, head_dim]

The maths follows Hugging Face's LlamaForCausalLM: RMSNorm, rotary embeddings indexed by
position_ids (rotate_half form), grouped-query attention, SwiGLU MLP, causal masking by
absolute cache position combined with the attention mask.
"""
from __future__ import annotations

import dataclasses
import math

import torch
from torch import nn


@dataclasses.dataclass(frozen=True)
class DecoderConfig:
    vocab_size: int
    hidden_size: int = 64
    intermediate_size: int = 176
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    head_dim: int = 16
    max_position_embeddings: int = 512
    rms_norm_eps: float = 1e-6
    rope_theta: float = 10000.0
    tie_word_embeddings: bool = False
    qk_norm: bool = False  # Qwen3: RMSNorm over head_dim on every query and key head, before RoPE
    model_type: str = "llama"

    def hf_config(self, bos_token_id, eos_token_id) -> dict:
        """config.json in the Hugging Face format of the model type (LlamaConfig, Qwen3Config)."""
        return {
            "architectures": ["Qwen3ForCausalLM" if self.model_type == "qwen3" else "LlamaForCausalLM"],
            "model_type": self.model_type,
            "vocab_size": self.vocab_size,
            "hidden_size": self.hidden_size,
            "intermediate_size": self.intermediate_size,
            "num_hidden_layers": self.num_hidden_layers,
            "num_attention_heads": self.num_attention_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "head_dim": self.head_dim,
            "max_position_embeddings": self.max_position_embeddings,
            "rms_norm_eps": self.rms_norm_eps,
            "rope_theta": self.rope_theta,
            "hidden_act": "silu",
            "attention_bias": False,
            "tie_word_embeddings": self.tie_word_embeddings,
            "bos_token_id": bos_token_id,
            "eos_token_id": eos_token_id,
            "torch_dtype": "float32",
            "use_cache": True,
        }


class RmsNorm(nn.Module):
    def __init__(self, size: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + self.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, c: DecoderConfig):
        super().__init__()
        self.c = c
        self.q_proj = nn.Linear(c.hidden_size, c.num_attention_heads * c.head_dim, bias=False)
        self.k_proj = nn.Linear(c.hidden_size, c.num_key_value_heads * c.head_dim, bias=False)
        self.v_proj = nn.Linear(c.hidden_size, c.num_key_value_heads * c.head_dim, bias=False)
        self.o_proj = nn.Linear(c.num_attention_heads * c.head_dim, c.hidden_size, bias=False)
        if c.qk_norm:
            self.q_norm = RmsNorm(c.head_dim, c.rms_norm_eps)
            self.k_norm = RmsNorm(c.head_dim, c.rms_norm_eps)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        probs, v, present = self.weights(x, cos, sin, mask, past_k, past_v)
        b, s, _ = x.shape
        out = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, -1)
        return self.o_proj(out), present

    def weights(self, x, cos, sin, mask, past_k, past_v):
        """forward's first half: (the attention weights [b, heads, s, past+s], the values [b, heads, past+s, d],
        the present (key, value)); training reads the weights to teach a head where to look."""
        b, s, _ = x.shape
        c = self.c
        q = self.q_proj(x).view(b, s, c.num_attention_heads, c.head_dim)
        k = self.k_proj(x).view(b, s, c.num_key_value_heads, c.head_dim)
        if c.qk_norm:
            q = self.q_norm(q)
            k = self.k_norm(k)
        q = q.transpose(1, 2)                                                              # [b, heads, s, d]
        k = k.transpose(1, 2)                                                              # [b, kv, s, d]
        v = self.v_proj(x).view(b, s, c.num_key_value_heads, c.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat([past_k, k], dim=2)                                                  # [b, kv, past+s, d]
        v = torch.cat([past_v, v], dim=2)
        present = (k, v)
        groups = c.num_attention_heads // c.num_key_value_heads
        t = k.shape[2]
        k = k[:, :, None].expand(b, c.num_key_value_heads, groups, t, c.head_dim).reshape(b, -1, t, c.head_dim)
        v = v[:, :, None].expand(b, c.num_key_value_heads, groups, t, c.head_dim).reshape(b, -1, t, c.head_dim)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(c.head_dim)               # [b, heads, s, t]
        scores = scores + mask
        return torch.softmax(scores, dim=-1), v, present


class Mlp(nn.Module):
    def __init__(self, c: DecoderConfig):
        super().__init__()
        self.gate_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.up_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.down_proj = nn.Linear(c.intermediate_size, c.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, c: DecoderConfig):
        super().__init__()
        self.input_layernorm = RmsNorm(c.hidden_size, c.rms_norm_eps)
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RmsNorm(c.hidden_size, c.rms_norm_eps)
        self.mlp = Mlp(c)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        h, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_k, past_v)
        x = x + h
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, present


class TinyDecoder(nn.Module):
    def __init__(self, c: DecoderConfig):
        super().__init__()
        self.c = c
        self.embed_tokens = nn.Embedding(c.vocab_size, c.hidden_size)
        self.layers = nn.ModuleList(Layer(c) for _ in range(c.num_hidden_layers))
        self.norm = RmsNorm(c.hidden_size, c.rms_norm_eps)
        self.lm_head = nn.Linear(c.hidden_size, c.vocab_size, bias=False)
        if c.tie_word_embeddings:
            self.lm_head.weight = self.embed_tokens.weight
        inv_freq = 1.0 / (c.rope_theta ** (torch.arange(0, c.head_dim, 2, dtype=torch.float32) / c.head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, input_ids, attention_mask, position_ids, *past):
        """past: past_key_values.0.key, past_key_values.0.value, past_key_values.1.key, ..."""
        return self.forward_embeds(self.embed_tokens(input_ids), attention_mask, position_ids, *past)

    def forward_embeds(self, x, attention_mask, position_ids, *past):
        """The decoder from input embeddings [b, s, hidden] on, as decoder_model_merged.onnx runs it."""
        freqs = position_ids[..., None].float() * self.inv_freq                            # [b, s, d/2]
        emb = torch.cat([freqs, freqs], dim=-1)
        cos = emb.cos()[:, None]                                                           # [b, 1, s, d]
        sin = emb.sin()[:, None]
        mask = self.attention_bias(attention_mask, x.shape[1], past[0].shape[2])
        presents = []
        for i, layer in enumerate(self.layers):
            x, (k, v) = layer(x, cos, sin, mask, past[2 * i], past[2 * i + 1])
            presents += [k, v]
        logits = self.lm_head(self.norm(x))
        return (logits, *presents)

    @staticmethod
    def attention_bias(attention_mask, seq_len, past_len):
        """[b, 1, s, t] additive mask: key j is visible to query i when j <= past+i and mask[j] == 1."""
        total = attention_mask.shape[1]
        query_pos = torch.arange(seq_len)[:, None] + past_len                              # [s, 1]
        key_pos = torch.arange(total)[None, :]                                             # [1, t]
        causal = key_pos <= query_pos                                                      # [s, t]
        visible = causal[None, None] & (attention_mask[:, None, None, :] > 0)              # [b, 1, s, t]
        return torch.zeros(visible.shape).masked_fill(~visible, torch.finfo(torch.float32).min)

    def empty_past(self, batch: int = 1):
        c = self.c
        return [torch.zeros(batch, c.num_key_value_heads, 0, c.head_dim) for _ in range(2 * c.num_hidden_layers)]

    @torch.no_grad()
    def greedy(self, prompt_ids: list[int], max_new_tokens: int, stop_ids: set[int],
               half_io: bool = False, prompt_embeds: torch.Tensor | None = None) -> tuple[list[int], list[list[float]]]:
        """Greedy decoding with the KV cache; returns the new ids (a stop id included) and each step's logits.
        half_io rounds the cache and the logits to float16 at every step, as a graph with fp16 inputs and outputs does.
        prompt_embeds [1, prompt, hidden], when given, is prefilled instead of the prompt's token embeddings
        (a vision-language prompt with image features in place of its image tokens)."""
        past = self.empty_past()
        x = prompt_embeds if prompt_embeds is not None else self.embed_tokens(torch.tensor([prompt_ids]))
        total = 0
        out, step_logits = [], []
        for _ in range(max_new_tokens):
            s = x.shape[1]
            mask = torch.ones(1, total + s, dtype=torch.long)
            pos = torch.arange(total, total + s)[None]
            logits, *past = self.forward_embeds(x, mask, pos, *past)
            if half_io:
                logits = logits.half().float()
                past = [p.half().float() for p in past]
            total += s
            last = logits[0, -1]
            step_logits.append(last.tolist())
            nxt = int(torch.argmax(last))
            out.append(nxt)
            if nxt in stop_ids:
                break
            x = self.embed_tokens(torch.tensor([[nxt]]))
        return out, step_logits
