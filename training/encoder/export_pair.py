"""Export the fine-tuned pair classifier to ONNX, quantise it to int8 and score both on IndoNLI val with the
run-time path (kabar.e5.pair), which is what ships.

    OMP_NUM_THREADS=1 python -m training.encoder.export_pair [--weights out/encoder-pair/pair-epoch2.pt]

Writes out/encoder-pair/pair-e5-fp32.onnx, src/kabar/models/pair-e5-int8.onnx and
out/encoder-pair/export_scores.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from kabar.e5 import pair
from training.encoder.export_ner import quantise
from training.encoder.model import load_encoder
from training.encoder.pair_train import DEFAULT_DATA, LABELS, PairClassifier


def export(weights: Path, fp32: Path, int8: Path) -> None:
    model = PairClassifier(load_encoder())
    model.load_state_dict(torch.load(weights, weights_only=True))
    model.eval()
    x = torch.randn(2, 13, 384)
    mask = torch.ones(2, 13, dtype=torch.int64)
    axes = {0: "batch", 1: "length"}
    torch.onnx.export(
        model, (x, mask), str(fp32), input_names=["hidden", "mask"], output_names=["logits"],
        dynamic_axes={"hidden": axes, "mask": axes, "logits": {0: "batch"}}, opset_version=17, dynamo=False,
    )  # fmt: skip
    int8.parent.mkdir(parents=True, exist_ok=True)
    quantise(fp32, int8)


def val_scores(data: Path, model: Path, limit: int | None = None) -> dict[str, float]:
    with (data / "indonli" / "val.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle][:limit]
    start = time.perf_counter()
    prob = pair.pair_probabilities([(r["premise"], r["hypothesis"]) for r in rows], model)
    seconds = time.perf_counter() - start
    gold = np.array([LABELS[r["label"]] for r in rows])
    pred = prob.argmax(1)
    tp = int(((pred == 2) & (gold == 2)).sum())
    return {"accuracy": round(100 * float((gold == pred).mean()), 2),
            "conflict_precision": round(100 * tp / max(1, int((pred == 2).sum())), 2),
            "conflict_recall": round(100 * tp / max(1, int((gold == 2).sum())), 2),
            "pairs_per_second": round(len(rows) / seconds, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--weights", type=Path, default=Path("out/encoder-pair/pair-epoch2.pt"))
    parser.add_argument("--out", type=Path, default=Path("out/encoder-pair"))
    parser.add_argument("--model", type=Path, default=pair.default_model_path())
    parser.add_argument("--limit", type=int, help="score only this many val pairs")
    args = parser.parse_args()
    torch.set_num_threads(1)
    fp32 = args.out / "pair-e5-fp32.onnx"
    export(args.weights, fp32, args.model)
    scores = {
        "fp32": val_scores(args.data, fp32, args.limit),
        "int8": val_scores(args.data, args.model, args.limit),
    }
    (args.out / "export_scores.json").write_text(json.dumps(scores, indent=1))
    print(json.dumps(scores, indent=1))
    print(f"{args.model}: {args.model.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
