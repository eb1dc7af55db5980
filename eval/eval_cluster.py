"""Event clustering on ECB+ (../shared/data/events/ecbplus): BCubed and pairwise precision/recall/F1, with the
gold event of a document = its topic plus "ecb" or "ecbplus". Documents are streamed in a fixed shuffled order
(seed 13), topics interleaved, through the same online engine ``kabar cluster`` uses.

    .venv/bin/python -m eval.eval_cluster [--check] [--write-baseline [--lower-baseline REASON]] [--grid]

``--grid`` searches the join threshold and entity weight on the odd-numbered topics and reports the choice on
the even-numbered ones (ECB+ has no publication dates, so the time window plays no part here).
"""

from __future__ import annotations

import argparse
import itertools
import random
from collections import defaultdict
from pathlib import Path

from training.ecbplus import DEFAULT_DIR, EcbDocument, load

from eval import gate
from kabar.cluster.engine import ENTITY_WEIGHT, JOIN_THRESHOLD, EventEngine
from kabar.cluster.run import cluster_articles
from kabar.embed import Embedder
from kabar.records import Article

BASELINE = Path(__file__).resolve().parent / "baselines" / "cluster.json"
TOLERANCE = 0.5


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for item, g in gold.items():
        by_gold[g].add(item)
        by_pred[pred[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        same_pred = by_pred[pred[item]]
        same_gold = by_gold[gold[item]]
        correct = len(same_pred & same_gold)
        precision += correct / len(same_pred)
        recall += correct / len(same_gold)
    p, r = precision / len(gold), recall / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    items = sorted(gold)
    tp = fp = fn = 0
    for a, b in itertools.combinations(items, 2):
        same_gold, same_pred = gold[a] == gold[b], pred[a] == pred[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def stream(docs: list[EcbDocument]) -> list[EcbDocument]:
    ordered = list(docs)
    random.Random(13).shuffle(ordered)
    return ordered


def run(
    docs: list[EcbDocument], threshold: float, weight: float, embedder: Embedder, blocking: str = "ann"
) -> dict[str, float]:
    articles = [Article(id=d.name, text="\n\n".join(d.sentences), title=d.sentences[0] if d.sentences else None)
                for d in stream(docs)]  # fmt: skip
    engine = EventEngine(threshold=threshold, entity_weight=weight, use_index=blocking == "ann")
    pred = dict(cluster_articles(articles, engine, embedder, blocking=blocking))
    gold = {d.name: d.cluster for d in docs}
    bp, br, bf = bcubed(gold, pred)
    pp, pr, pf = pairwise(gold, pred)
    return {"bcubed_p": bp, "bcubed_r": br, "bcubed_f1": bf, "pairwise_p": pp, "pairwise_r": pr, "pairwise_f1": pf,
            "events": len(set(pred.values())), "gold_events": len(set(gold.values())), "documents": len(docs)}  # fmt: skip


def show(label: str, r: dict[str, float]) -> None:
    print(f"{label}: BCubed P {100 * r['bcubed_p']:.1f} R {100 * r['bcubed_r']:.1f} F1 {100 * r['bcubed_f1']:.1f} | "
          f"pairwise P {100 * r['pairwise_p']:.1f} R {100 * r['pairwise_r']:.1f} F1 {100 * r['pairwise_f1']:.1f} | "
          f"{int(r['events'])} events for {int(r['gold_events'])} gold, {int(r['documents'])} documents")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ecbplus", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--grid", action="store_true")
    gate.add_arguments(parser)
    parser.add_argument(
        "--blocking",
        choices=["ann", "lsh"],
        default="ann",
        help="candidate events: ANN index or LSH blocking",
    )
    args = parser.parse_args()
    docs = load(args.ecbplus)
    embedder = Embedder(disk_cache=True)
    if args.grid:
        odd = [d for d in docs if d.topic % 2 == 1]
        even = [d for d in docs if d.topic % 2 == 0]
        results = []
        for threshold in (0.5, 0.55, 0.6, 0.62, 0.65, 0.7, 0.75):
            for weight in (0.0, 0.15, 0.3, 0.5):
                r = run(odd, threshold, weight, embedder)
                results.append((r["bcubed_f1"], threshold, weight))
                show(f"odd topics, threshold {threshold:.2f} weight {weight:.2f}", r)
        _, threshold, weight = max(results)
        show(
            f"chosen threshold {threshold} weight {weight}, EVEN topics (held out)",
            run(even, threshold, weight, embedder),
        )
        return
    result = run(docs, JOIN_THRESHOLD, ENTITY_WEIGHT, embedder, args.blocking)
    show(f"all topics, {args.blocking} blocking", result)
    keys = ("bcubed_f1", "pairwise_f1")
    if args.blocking != "ann":
        return  # the baseline is pinned for the default (ANN) blocking
    gate.apply(args, BASELINE, {k: round(100 * result[k], 2) for k in keys}, TOLERANCE)


if __name__ == "__main__":
    main()
