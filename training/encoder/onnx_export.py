"""Export a fine-tuned encoder model (12 layers + head over the embedded input and a mask) to ONNX, quantise it
to int8, score both files with the run-time path, and write the scores: what export_ner and export_pair share."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

# Weight matrices kept out of int8: the feed-forward output projections ("fo") and the head, stored as fp16.
# Calibrated on the NER epoch-1 model's dev micro F1 (idner / NERGrit / NERP): fp32 80.2 / 79.0 / 75.3; all
# int8 per tensor 78.9 / 77.2 / 74.2; all int8 per channel 80.3 / 76.9 / 75.3; this mix 79.8 / 79.2 / 75.2
# (29 MB, against 22 MB all int8 and 85 MB fp32).
KEEP_FLOAT = ("/fo/", "/head/")


def export(model: torch.nn.Module, weights: Path, fp32: Path, int8: Path, per_token: bool) -> None:
    """Load ``weights`` into ``model``, write it as ONNX (inputs ``hidden``, ``mask``; output ``logits``, per
    token or per sequence) to ``fp32`` and its int8 form to ``int8``."""
    model.load_state_dict(torch.load(weights, weights_only=True))
    model.eval()
    x = torch.randn(2, 13, 384)
    mask = torch.ones(2, 13, dtype=torch.int64)
    axes = {0: "batch", 1: "length"}
    logits = axes if per_token else {0: "batch"}
    torch.onnx.export(
        model, (x, mask), str(fp32), input_names=["hidden", "mask"], output_names=["logits"],
        dynamic_axes={"hidden": axes, "mask": axes, "logits": logits}, opset_version=17, dynamo=False,
    )  # fmt: skip
    int8.parent.mkdir(parents=True, exist_ok=True)
    quantise(fp32, int8)


def quantise(fp32: Path, out: Path) -> None:
    """Per-channel int8 weights for the MatMuls but those of KEEP_FLOAT, whose weights are stored as fp16
    behind a Cast (ONNX Runtime folds it at load, so they compute in fp32)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(fp32)).graph
    keep = [n.name for n in graph.node if n.op_type == "MatMul" and any(k in n.name for k in KEEP_FLOAT)]
    tmp = out.with_suffix(".tmp.onnx")
    quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                     per_channel=True, nodes_to_exclude=keep)  # fmt: skip
    model = onnx.load(str(tmp))
    inits = {i.name: i for i in model.graph.initializer}
    casts = []
    for node in model.graph.node:
        if node.name not in keep:
            continue
        name = next(i for i in node.input if i in inits)
        weight = numpy_helper.to_array(inits[name])
        model.graph.initializer.remove(inits.pop(name))
        model.graph.initializer.append(numpy_helper.from_array(weight.astype("float16"), name + "_fp16"))
        casts.append(helper.make_node("Cast", [name + "_fp16"], [name], to=TensorProto.FLOAT))
    for cast in reversed(casts):
        model.graph.node.insert(0, cast)
    onnx.save(model, str(out))
    tmp.unlink()


def export_and_score(
    model: torch.nn.Module, args: Any, name: str, per_token: bool, score: Callable[[Path], Any]
) -> None:
    """The export scripts' run: ``args.weights`` into ``args.out/{name}-fp32.onnx`` and ``args.model`` (int8),
    both scored by ``score``, the scores written to ``args.out/export_scores.json`` and printed."""
    torch.set_num_threads(1)
    args.out.mkdir(parents=True, exist_ok=True)
    fp32 = args.out / f"{name}-fp32.onnx"
    export(model, args.weights, fp32, args.model, per_token)
    scores = {"fp32": score(fp32), "int8": score(args.model)}
    (args.out / "export_scores.json").write_text(json.dumps(scores, indent=1))
    print(json.dumps(scores, indent=1))
    print(f"{args.model}: {args.model.stat().st_size / 1e6:.1f} MB")
