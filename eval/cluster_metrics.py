"""Clustering scores against gold clusters: BCubed, pairwise, MUC, CEAF-e and CoNLL F1 (the mean of MUC, B3 and
CEAF-e F1, as in the CoNLL-2012 coreference task). Items are document ids; gold and prediction map each id to a
cluster label."""

from __future__ import annotations

import itertools
from collections import defaultdict

Scores = tuple[float, float, float]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def clusters(labels: dict[str, str]) -> list[set[str]]:
    by: dict[str, set[str]] = defaultdict(set)
    for item, label in labels.items():
        by[label].add(item)
    return [by[k] for k in sorted(by)]


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> Scores:
    by_gold = {frozenset(c): c for c in clusters(gold)}
    of_gold = {item: c for c in by_gold.values() for item in c}
    of_pred = {item: c for c in clusters(pred) for item in c}
    precision = recall = 0.0
    for item in gold:
        correct = len(of_pred[item] & of_gold[item])
        precision += correct / len(of_pred[item])
        recall += correct / len(of_gold[item])
    p, r = precision / len(gold), recall / len(gold)
    return p, r, _f1(p, r)


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> Scores:
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(gold), 2):
        same_gold, same_pred = gold[a] == gold[b], pred[a] == pred[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, _f1(p, r)


def _muc_recall(keys: list[set[str]], responses: dict[str, str]) -> float:
    numerator = denominator = 0
    for key in keys:
        partitions = {responses[item] for item in key}
        numerator += len(key) - len(partitions)
        denominator += len(key) - 1
    return numerator / denominator if denominator else 0.0


def muc(gold: dict[str, str], pred: dict[str, str]) -> Scores:
    r = _muc_recall(clusters(gold), pred)
    p = _muc_recall(clusters(pred), gold)
    return p, r, _f1(p, r)


def ceaf_e(gold: dict[str, str], pred: dict[str, str]) -> Scores:
    """Entity-based CEAF: the best one-to-one alignment of gold and predicted clusters under
    phi4(K, R) = 2 |K & R| / (|K| + |R|)."""
    keys, responses = clusters(gold), clusters(pred)
    similarity = [[2 * len(k & r) / (len(k) + len(r)) for r in responses] for k in keys]
    total = _best_assignment(similarity)
    p, r = total / len(responses), total / len(keys)
    return p, r, _f1(p, r)


def _best_assignment(similarity: list[list[float]]) -> float:
    """The largest total similarity of a one-to-one matching of rows and columns (Hungarian method, O(n^3))."""
    rows, cols = len(similarity), len(similarity[0]) if similarity else 0
    n = max(rows, cols)
    if n == 0:
        return 0.0
    cost = [[-(similarity[i][j] if i < rows and j < cols else 0.0) for j in range(n)] for i in range(n)]
    u, v, p, way = [0.0] * (n + 1), [0.0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [float("inf")] * (n + 1), [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], float("inf"), 0
            for j in range(1, n + 1):
                if not used[j]:
                    current = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if current < minv[j]:
                        minv[j], way[j] = current, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return -sum(cost[p[j] - 1][j - 1] for j in range(1, n + 1))


def scores(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """Every score, as fractions: bcubed_p/r/f1, pairwise_p/r/f1, muc_f1, ceafe_f1, conll_f1, and counts."""
    out: dict[str, float] = {}
    for name, fn in (("bcubed", bcubed), ("pairwise", pairwise), ("muc", muc), ("ceafe", ceaf_e)):
        p, r, f = fn(gold, pred)
        out |= {f"{name}_p": p, f"{name}_r": r, f"{name}_f1": f}
    out["conll_f1"] = (out["muc_f1"] + out["bcubed_f1"] + out["ceafe_f1"]) / 3
    out |= {"events": len(set(pred.values())), "gold_events": len(set(gold.values())), "documents": len(gold)}
    return out
