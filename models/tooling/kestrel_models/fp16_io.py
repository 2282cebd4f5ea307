"""A decoder graph with the half-precision inputs and outputs of fp16 / q4f16 exports.

onnx-community's fp16 and q4f16 models take past_key_values and return present and logits as
float16. This wraps an fp32 decoder graph in Casts at its edges, so the engine's half-precision
KV cache and logits are tested with the same weights; the computation inside stays fp32.
"""
from __future__ import annotations

import onnx
from onnx import TensorProto, helper


def with_fp16_io(src: str, dst: str) -> None:
    model = onnx.load(src)
    graph = model.graph
    casts_in, casts_out = [], []
    for value in graph.input:
        if value.name.startswith("past_key_values.") and value.type.tensor_type.elem_type == TensorProto.FLOAT:
            inner = value.name + "_fp32"
            for node in graph.node:
                node.input[:] = [inner if i == value.name else i for i in node.input]
            casts_in.append(helper.make_node("Cast", [value.name], [inner], name=value.name + "_to_fp32", to=TensorProto.FLOAT))
            value.type.tensor_type.elem_type = TensorProto.FLOAT16
    for value in graph.output:
        if value.type.tensor_type.elem_type == TensorProto.FLOAT:
            inner = value.name + "_fp32"
            for node in graph.node:
                # The producer and any node that reads the output inside the graph now use the fp32 name.
                node.output[:] = [inner if o == value.name else o for o in node.output]
                node.input[:] = [inner if i == value.name else i for i in node.input]
            casts_out.append(helper.make_node("Cast", [inner], [value.name], name=value.name + "_to_fp16", to=TensorProto.FLOAT16))
            value.type.tensor_type.elem_type = TensorProto.FLOAT16
    nodes = casts_in + list(graph.node) + casts_out
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, dst)
