"""Event clustering quality: BCubed, pairwise and CoNLL F1 (mean of MUC, B3 and CEAF-e) through the same online
engine ``kabar cluster`` uses, over several arrival orders (mean and standard deviation), on

- **ECB+ dev topics** (``../shared/data/events/ecbplus``, topics 1-35): the gold event of a document is its topic
  plus "ecb" or "ecbplus"; every topic holds two different events of one kind (two earthquakes, two rehab
  check-ins of celebrities, two patches of one browser), so this is a test of telling look-alikes apart;
- **the look-alike set** (``eval/devsets/events``, see its README): real Indonesian events, several events of one
  topic each (another eruption of the same volcano, a flood of the same city in another year, the appeal after the
  verdict), two to four outlet reports each, some dated and some plain text with only the dates they state.

    .venv/bin/python -m eval.eval_cluster [--ecbplus DIR] [--check] [--write-baseline] [--blocking lsh]

(``--check``, ``--write-baseline`` and ``--lower-baseline``: the shared gate, ``eval/gate.py``.)

Weights are tuned on ECB+ odd/even topic halves by ``training/tune_cluster.py``, never on the look-alike set.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from training.ecbplus import DEFAULT_DIR, EcbDocument, load

from eval import gate
from eval.cluster_metrics import bcubed, pairwise, scores
from kabar.cluster.engine import EventEngine, Weights
from kabar.cluster.run import cluster_articles
from kabar.embed import Embedder
from kabar.ingest import read_paths
from kabar.records import Article

__all__ = ["bcubed", "pairwise"]

BASELINE = Path(__file__).resolve().parent / "baselines" / "cluster.json"
LOOKALIKE = Path(__file__).resolve().parent / "devsets" / "events"
TOLERANCE = 0.5
# Arrival orders: each is a seeded shuffle of the documents, topics interleaved, as a stream would bring them.
ORDERS = (13, 14, 15, 16, 17)
KEYS = ("bcubed_f1", "conll_f1", "pairwise_f1")


def ecb_articles(docs: Sequence[EcbDocument]) -> list[Article]:
    return [Article(id=d.name, text="\n\n".join(d.sentences), title=d.sentences[0] if d.sentences else None)
            for d in docs]  # fmt: skip


def lookalike_set(folder: Path = LOOKALIKE) -> tuple[list[Article], dict[str, str]]:
    """The look-alike articles and the gold event of each. ``manifest.jsonl`` names each article's file and record
    id (a JSONL record, or a text file's name), its event and topic, and whether it is read without its
    publication date (``undated``: only the dates its text states)."""
    manifest = [
        json.loads(line) for line in (folder / "manifest.jsonl").open(encoding="utf-8") if line.strip()
    ]
    wanted = {(row["file"], row["record"]): row for row in manifest}
    articles = []
    for file in sorted({row["file"] for row in manifest}):
        for item in read_paths([folder / file]):
            row = wanted.get((file, item.id)) if isinstance(item, Article) else None
            if isinstance(item, Article) and row is not None:
                articles.append(
                    replace(item, id=row["id"], published=None if row["undated"] else item.published)
                )
    missing = {row["id"] for row in manifest} - {a.id for a in articles}
    if missing:
        raise SystemExit(f"manifest names articles not found: {sorted(missing)}")
    return articles, {row["id"]: row["event"] for row in manifest}


def run(
    articles: Sequence[Article],
    gold: dict[str, str],
    embedder: Embedder,
    seed: int,
    weights: Weights | None = None,
    blocking: str = "ann",
) -> dict[str, float]:
    """Every score of one arrival order (``seed``)."""
    ordered = list(articles)
    random.Random(seed).shuffle(ordered)
    engine = EventEngine(weights, use_index=blocking == "ann")
    pred = dict(cluster_articles(ordered, engine, embedder, blocking=blocking))
    return scores({a.id: gold[a.id] for a in articles}, pred)


def over_orders(evaluate: Callable[[int], dict[str, float]]) -> dict[str, tuple[float, float]]:
    """Mean and standard deviation (points) of each score over ORDERS."""
    runs = [evaluate(seed) for seed in ORDERS]
    return {
        key: (statistics.fmean(100 * r[key] for r in runs), statistics.pstdev([100 * r[key] for r in runs]))
        for key in runs[0]
        if key.endswith(("_f1", "_p", "_r"))
    } | {
        "events": (statistics.fmean(r["events"] for r in runs), 0.0),
        "gold_events": (runs[0]["gold_events"], 0.0),
    }


def show(label: str, s: dict[str, tuple[float, float]]) -> None:
    def f(key: str) -> str:
        return f"{s[key][0]:.1f} ± {s[key][1]:.1f}"

    print(f"{label}: BCubed F1 {f('bcubed_f1')} (P {s['bcubed_p'][0]:.1f} R {s['bcubed_r'][0]:.1f}) | "
          f"CoNLL F1 {f('conll_f1')} (MUC {s['muc_f1'][0]:.1f}, CEAF-e {s['ceafe_f1'][0]:.1f}) | "
          f"pairwise F1 {f('pairwise_f1')} | {s['events'][0]:.0f} events for {s['gold_events'][0]:.0f} gold")  # fmt: skip


def evaluate(ecbplus: Path, blocking: str = "ann") -> dict[str, dict[str, tuple[float, float]]]:
    embedder = Embedder(disk_cache=True)
    results: dict[str, dict[str, tuple[float, float]]] = {}
    if ecbplus.is_dir():
        docs = load(ecbplus)
        articles = ecb_articles(docs)
        gold = {d.name: d.cluster for d in docs}
        results["ecbplus"] = over_orders(lambda seed: run(articles, gold, embedder, seed, blocking=blocking))
        for half, parity in (("ecbplus_odd", 1), ("ecbplus_even", 0)):
            part = [a for a, d in zip(articles, docs, strict=True) if d.topic % 2 == parity]
            results[half] = over_orders(lambda seed, p=part: run(p, gold, embedder, seed, blocking=blocking))  # type: ignore[misc]
    articles, gold = lookalike_set()
    results["lookalike"] = over_orders(lambda seed: run(articles, gold, embedder, seed, blocking=blocking))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ecbplus", type=Path, default=DEFAULT_DIR)
    gate.add_arguments(parser)
    parser.add_argument(
        "--blocking", choices=["ann", "lsh"], default="ann", help="candidate events: ANN or LSH"
    )
    args = parser.parse_args()
    results = evaluate(args.ecbplus, args.blocking)
    for name, figures in results.items():
        show(f"{name} ({args.blocking}, {len(ORDERS)} orders)", figures)
    if args.blocking != "ann":
        return  # the baseline is pinned for the default (ANN) blocking
    measured: gate.Baseline = {name: {k: round(results[name][k][0], 2) for k in KEYS} for name in ("ecbplus", "lookalike")
                if name in results}  # fmt: skip
    gate.apply(args, BASELINE, measured, TOLERANCE)


if __name__ == "__main__":
    main()
