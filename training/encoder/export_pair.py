"""Export the fine-tuned pair classifier to ONNX, quantise it to int8 and score both on IndoNLI val with the
run-time path (kabar.e5.pair), which is what ships.

    OMP_NUM_THREADS=1 python -m training.encoder.export_pair [--weights out/encoder-pair/pair-epoch1.pt]

Writes out/encoder-pair/pair-e5-fp32.onnx, src/kabar/models/pair-e5-int8.onnx and
out/encoder-pair/export_scores.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from kabar.e5 import pair
from training.encoder.model import load_encoder
from training.encoder.onnx_export import export_and_score
from training.encoder.pair_train import DEFAULT_DATA, LABELS, PairClassifier, pair_metrics


def val_scores(data: Path, model: Path, limit: int | None = None) -> dict[str, float]:
    with (data / "indonli" / "val.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle][:limit]
    start = time.perf_counter()
    prob = pair.pair_probabilities([(r["premise"], r["hypothesis"]) for r in rows], model)
    seconds = time.perf_counter() - start
    scores = pair_metrics(np.array([LABELS[r["label"]] for r in rows]), prob.argmax(1))
    return {**scores, "pairs_per_second": round(len(rows) / seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--weights", type=Path, default=Path("out/encoder-pair/pair-epoch1.pt"))
    parser.add_argument("--out", type=Path, default=Path("out/encoder-pair"))
    parser.add_argument("--model", type=Path, default=pair.default_model_path())
    parser.add_argument("--limit", type=int, help="score only this many val pairs")
    args = parser.parse_args()
    model = PairClassifier(load_encoder())
    export_and_score(model, args, "pair-e5", False, lambda path: val_scores(args.data, path, args.limit))


if __name__ == "__main__":
    main()
