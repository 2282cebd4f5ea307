"""4-bit block quantization of ONNX MatMul weights into ONNX Runtime's MatMulNBits (com.microsoft).

Format (ONNX Runtime contrib operator MatMulNBits): B is uint8 [N, k_blocks, block_size * bits / 8],
each block's values packed two per byte along K (the lower-index value in the low nibble);
scales [N, k_blocks] float; zero_points packed the same way, [N, ceil(k_blocks / 2)] uint8.
Dequantized weight = (q - zero_point) * scale. Asymmetric, per block of `block_size` values of K.
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper

BITS = 4


def quantize_weight(w: np.ndarray, block_size: int):
    """w: [K, N] float32 (ONNX MatMul's B). Returns packed B, scales, packed zero points and the dequantized [K, N]."""
    k, n = w.shape
    blocks = (k + block_size - 1) // block_size
    padded = np.zeros((blocks * block_size, n), dtype=np.float32)
    padded[:k] = w
    cols = padded.T.reshape(n, blocks, block_size)                       # [N, k_blocks, block]
    lo = np.minimum(cols.min(axis=2), 0.0)
    hi = np.maximum(cols.max(axis=2), 0.0)
    scale = (hi - lo) / 15.0
    scale[scale == 0] = 1.0
    zero = np.clip(np.round(-lo / scale), 0, 15).astype(np.uint8)          # [N, k_blocks]
    q = np.clip(np.round(cols / scale[..., None]) + zero[..., None], 0, 15).astype(np.uint8)
    packed = (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)        # [N, k_blocks, block/2]
    zero_padded = np.zeros((n, blocks + (blocks % 2)), dtype=np.uint8)
    zero_padded[:, :blocks] = zero
    zero_packed = (zero_padded[:, 0::2] | (zero_padded[:, 1::2] << 4)).astype(np.uint8)
    dequantized = ((q.astype(np.float32) - zero[..., None]) * scale[..., None]).reshape(n, -1).T[:k]
    return packed, scale.astype(np.float32), zero_packed, np.ascontiguousarray(dequantized, dtype=np.float32)


def quantize_model(src: str, dst: str, block_size: int = 32) -> dict[str, np.ndarray]:
    """Rewrites every MatMul whose B is a 2-D initializer as MatMulNBits; returns the dequantized weights by name."""
    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    dequantized = {}
    new_nodes = []
    for node in graph.node:
        b = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if b is None or len(b.dims) != 2:
            new_nodes.append(node)
            continue
        w = numpy_helper.to_array(b).astype(np.float32)
        k, n = w.shape
        packed, scales, zeros, deq = quantize_weight(w, block_size)
        base = node.input[1]
        graph.initializer.extend([
            numpy_helper.from_array(packed, base + "_Q4"),
            numpy_helper.from_array(scales, base + "_scales"),
            numpy_helper.from_array(zeros, base + "_zp"),
        ])
        dequantized[base] = deq
        new_nodes.append(helper.make_node(
            "MatMulNBits", [node.input[0], base + "_Q4", base + "_scales", base + "_zp"], list(node.output),
            name=(node.name or base) + "_Q4", domain="com.microsoft", K=k, N=n, bits=BITS, block_size=block_size))
    del graph.node[:]
    graph.node.extend(new_nodes)
    used = {i for node in graph.node for i in node.input}
    keep = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, dst)
    return dequantized


def dequantized_copy(model, dequantized: dict[str, np.ndarray]):
    """The TinyDecoder as the quantized graph computes it: each quantized MatMul weight replaced by its dequantized
    values, so PyTorch can make the 4-bit model's references."""
    import copy

    import torch

    q4 = copy.deepcopy(model)
    linears = [m for m in q4.modules() if isinstance(m, torch.nn.Linear)]
    by_shape = {}
    for lin in linears:
        by_shape.setdefault(tuple(lin.weight.shape), []).append(lin)
    # Match each ONNX MatMul weight (the transposed Linear weight) to its Linear by value.
    with torch.no_grad():
        for name, w in dequantized.items():
            wt = torch.from_numpy(w).T.contiguous()
            candidates = by_shape.get(tuple(wt.shape), [])
            best = min(candidates, key=lambda lin: float((lin.weight - wt).abs().max()))
            if q4.c.tie_word_embeddings and best is q4.lm_head:
                q4.lm_head.weight = torch.nn.Parameter(wt.clone())
            else:
                best.weight.copy_(wt)
    return q4
