"""``kabar relate`` on IndoNLI val (../shared/data/nli/indonli/val.jsonl): confusion matrix, accuracy, conflict
precision/recall/F1, overall and on numeric and temporal pairs, against a pinned baseline.

    .venv/bin/python -m eval.eval_relate [--tier auto|accurate|fast] [--limit N] [--check]
        [--write-baseline [--lower-baseline REASON]]

Each tier has its baseline: eval/baselines/relate.json (the default tier, accurate where installed) and
eval/baselines/relate-fast.json.

Labels: e -> agree, n -> neutral, c -> conflict. A pair is numeric when premise or hypothesis has a digit or an
Indonesian number word, temporal when either names a month, a weekday or a year.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

from eval import gate
from kabar.compare.relate import Tier, relate_pairs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
BASELINES = {
    "auto": Path(__file__).resolve().parent / "baselines" / "relate.json",
    "fast": Path(__file__).resolve().parent / "baselines" / "relate-fast.json",
}
BASELINES["accurate"] = BASELINE = BASELINES["auto"]
TOLERANCE = 0.5
LABELS = {"e": "agree", "n": "neutral", "c": "conflict"}
CLASSES = ("agree", "neutral", "conflict")
_NUMERIC = re.compile(r"\d|\b(satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|puluh|ratus|ribu|juta|"
                      r"miliar|triliun|persen)\b", re.I)  # fmt: skip
_TEMPORAL = re.compile(
    r"\b(januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember|senin|selasa|"
    r"rabu|kamis|jumat|sabtu|minggu|tahun|abad|(19|20)\d\d)\b",
    re.I,
)


def metrics(gold: list[str], pred: list[str]) -> dict[str, object]:
    confusion = Counter(zip(gold, pred, strict=True))
    tp = confusion[("conflict", "conflict")]
    predicted = sum(v for (_, p), v in confusion.items() if p == "conflict")
    actual = sum(v for (g, _), v in confusion.items() if g == "conflict")
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    return {
        "pairs": len(gold),
        "accuracy": round(100 * sum(g == p for g, p in zip(gold, pred, strict=True)) / max(1, len(gold)), 2),
        "conflict_precision": round(100 * precision, 2),
        "conflict_recall": round(100 * recall, 2),
        "conflict_f1": round(
            100 * (2 * precision * recall / (precision + recall) if precision + recall else 0), 2
        ),
        "confusion": {g: {p: confusion[(g, p)] for p in CLASSES} for g in CLASSES},
    }


def evaluate(data: Path, limit: int | None = None, tier: Tier = "auto") -> dict[str, dict[str, object]]:
    with (data / "nli" / "indonli" / "val.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle][:limit]
    start = time.perf_counter()
    triples = ((str(r["pair_id"]), r["premise"], r["hypothesis"]) for r in rows)
    results = list(relate_pairs(triples, tier=tier))
    seconds = time.perf_counter() - start
    gold = [LABELS[r["label"]] for r in rows]
    pred = [r.relation for r in results]
    subsets = {
        "all": list(range(len(rows))),
        "numeric": [k for k, r in enumerate(rows) if _NUMERIC.search(r["premise"] + " " + r["hypothesis"])],
        "temporal": [k for k, r in enumerate(rows) if _TEMPORAL.search(r["premise"] + " " + r["hypothesis"])],
    }
    out = {name: metrics([gold[k] for k in ks], [pred[k] for k in ks]) for name, ks in subsets.items()}
    out["all"]["pairs_per_second"] = round(len(rows) / seconds, 1)
    kinds = Counter(r.kind for r in results if r.relation == "conflict")
    out["all"]["conflict_kinds"] = dict(kinds.most_common())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--tier", choices=("auto", "accurate", "fast"), default="auto")
    gate.add_arguments(parser)
    args = parser.parse_args()
    results = evaluate(args.data, args.limit, args.tier)
    for name, r in results.items():
        print(f"{name:>9}: {r['pairs']} pairs, accuracy {r['accuracy']}, conflict P {r['conflict_precision']} "
              f"R {r['conflict_recall']} F1 {r['conflict_f1']}")  # fmt: skip
        confusion = r["confusion"]
        assert isinstance(confusion, dict)
        print("           gold \\ predicted: " + "  ".join(f"{c:>8}" for c in CLASSES))
        for g in CLASSES:
            print(f"           {g:>18}: " + "  ".join(f"{confusion[g][p]:>8}" for p in CLASSES))
    print(
        f"speed: {results['all']['pairs_per_second']} pairs/s; conflict kinds: {results['all']['conflict_kinds']}"
    )
    keys = ("accuracy", "conflict_f1")
    measured = {name: {k: float(r[k]) for k in keys} for name, r in results.items()}
    gate.apply(args, BASELINES[args.tier], measured, TOLERANCE)


if __name__ == "__main__":
    main()
