"""Tune the event clustering's decision weights on ECB+ dev topics: grid on one half of the topics (odd or even),
score on the other, over several arrival orders; report mean and standard deviation of BCubed and CoNLL F1.

Representations and vectors are computed once and cached (``$KABAR_CACHE/cluster-tune-*.pkl``), so a sweep only
replays the online engine (ANN candidates, as ``kabar cluster``).

    nice -n 10 timeout 900 .venv/bin/python -m training.tune_cluster [--ecbplus DIR] [--orders 5]
        [--grid "threshold=0.5,0.6 sparse=0,0.5 entity=0.15 place=0 person=0"]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import pickle
import random
import statistics
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path

import numpy as np
from eval.cluster_metrics import scores
from eval.eval_cluster import ecb_articles

from kabar.cluster.engine import EventEngine, Weights
from kabar.cluster.features import NAME as FEATURES
from kabar.cluster.features import Representation, represent
from kabar.cluster.sparse import NAME as TERMS
from kabar.embed import Embedder, cache_dir
from kabar.records import Article
from kabar.versions import annotate_versions
from training.ecbplus import DEFAULT_DIR, load

Item = tuple[str, str, Representation, np.ndarray]
"""(document id, gold event, representation, vector)."""


def represented(articles: Sequence[Article], gold: dict[str, str], name: str) -> list[Item]:
    """Representations and vectors of the articles, cached by the versions of the stages that make them (the
    terms counted by ``kabar.cluster.sparse`` included)."""
    stamp = hashlib.sha1(" ".join([FEATURES, TERMS, *annotate_versions()]).encode()).hexdigest()[:12]
    path = cache_dir() / f"cluster-tune-{name}-{stamp}.pkl"
    if path.exists():
        cached: list[Item] = pickle.loads(path.read_bytes())
        if {i for i, *_ in cached} == {a.id for a in articles}:
            return cached
    reps = [represent(a) for a in articles]
    vectors = Embedder(disk_cache=True).encode([r.text for r in reps])
    items = [(a.id, gold[a.id], r, v) for a, r, v in zip(articles, reps, vectors, strict=True)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(items))
    return items


def replay(items: Sequence[Item], weights: Weights, seed: int) -> dict[str, float]:
    """The online engine over the items in one shuffled arrival order; every score."""
    ordered = list(items)
    random.Random(seed).shuffle(ordered)
    engine = EventEngine(weights)
    pred = {i: engine.assign(v, r, None, i)[0] for i, _, r, v in ordered}
    return scores({i: g for i, g, _, _ in items}, pred)


def summary(items: Sequence[Item], weights: Weights, orders: Sequence[int]) -> dict[str, tuple[float, float]]:
    """Mean and standard deviation (points) of BCubed and CoNLL F1 over arrival orders."""
    runs = [replay(items, weights, seed) for seed in orders]
    out = {}
    for key in ("bcubed_f1", "conll_f1", "bcubed_p", "bcubed_r"):
        values = [100 * r[key] for r in runs]
        out[key] = (statistics.fmean(values), statistics.pstdev(values))
    return out


def parse_grid(text: str) -> list[Weights]:
    names = {f.name for f in fields(Weights)}
    axes: dict[str, list[float]] = {}
    for part in text.split():
        key, values = part.split("=")
        if key not in names:
            raise SystemExit(f"unknown weight {key!r}: one of {sorted(names)}")
        axes[key] = [float(v) for v in values.split(",")]
    return [
        replace(Weights(), **dict(zip(axes, combo, strict=True)))
        for combo in itertools.product(*axes.values())
    ]


def show(label: str, s: dict[str, tuple[float, float]]) -> str:
    return (f"{label}: BCubed F1 {s['bcubed_f1'][0]:.1f} ± {s['bcubed_f1'][1]:.1f} (P {s['bcubed_p'][0]:.1f} "
            f"R {s['bcubed_r'][0]:.1f}), CoNLL F1 {s['conll_f1'][0]:.1f} ± {s['conll_f1'][1]:.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ecbplus", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--orders", type=int, default=5, help="arrival orders (shuffle seeds) per setting")
    parser.add_argument(
        "--tune", choices=["odd", "even", "both"], default="both", help="which half to tune on"
    )
    parser.add_argument("--grid", default="threshold=0.5,0.55,0.6,0.65 sparse=0,0.3,0.5,0.7")
    args = parser.parse_args()
    docs = load(args.ecbplus)
    items = represented(ecb_articles(docs), {d.name: d.cluster for d in docs}, "ecbplus")
    topic = {d.name: d.topic for d in docs}
    halves = {
        "odd": [i for i in items if topic[i[0]] % 2 == 1],
        "even": [i for i in items if topic[i[0]] % 2 == 0],
    }
    orders = list(range(args.orders))
    grid = parse_grid(args.grid)
    for tune, test in (("odd", "even"), ("even", "odd")):
        if args.tune not in {tune, "both"}:
            continue
        results = []
        for weights in grid:
            s = summary(halves[tune], weights, orders)
            results.append((s["bcubed_f1"][0], weights))
            print(show(f"  {tune} {weights}", s), flush=True)
        _, best = max(results, key=lambda r: r[0])
        print(
            show(f"tuned on {tune}: {best}; on {test} topics", summary(halves[test], best, orders)),
            flush=True,
        )


if __name__ == "__main__":
    main()
