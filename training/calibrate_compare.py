"""Calibrate Kabar's comparison models on ../shared/data/nli and write src/kabar/data/compare_model.json.

1. Same fact (alignment): logistic regression on [USE cosine, content-word Jaccard, linked-entity Jaccard]
   with positives = WReTE "Entail_or_Paraphrase" and IndoNLI entailment pairs, negatives = WReTE "NotEntail"
   and IndoNLI neutral pairs (contradictions are about the same fact but disagree: they are left out of this
   model and handled by the conflict checks). Fitted on the train splits; the threshold maximises F1 on
   train; F1 on the validation splits is reported. A lower "related" threshold keeps 98% of train positives
   (used to look for number, date and place conflicts between statements that are related but not the same).
   Cross-check on real cross-document news: F1 on ECB+ sentence pairs of different articles of one topic,
   positive when both mention the same cross-document event instance. (Fitting on ECB+ instead was tried:
   its "same event" is looser than "same fact" - most sentences of an article mention the seminal event -
   and the fitted model was too permissive to align facts.)
2. Relation (``kabar relate``): multinomial logistic regression, agree/neutral/conflict, on IndoNLI train.

Entities come from Kabar's own annotation of each pair (the two texts annotated and linked together), as at
run time. Deterministic: fixed subsample seed, full-batch gradient descent.

    .venv/bin/python -m training.calibrate_compare [--data ../shared/data] [--pairs 4000]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from kabar.compare.features import align_features, profile, relate_features
from kabar.embed import Embedder
from kabar.pipeline import annotate
from kabar.records import Article

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "kabar" / "data" / "compare_model.json"
RELATIONS = ("agree", "neutral", "conflict")
NLI_LABELS = {"e": "agree", "n": "neutral", "c": "conflict"}


def load_wrete(data: Path, split: str) -> list[tuple[str, str, str]]:
    name = "train_preprocess.csv" if split == "train" else "valid_preprocess.csv"
    with (data / "nli" / "wrete" / name).open(encoding="utf-8") as handle:
        return [(r["sent_A"], r["sent_B"], "agree" if r["label"] == "Entail_or_Paraphrase" else "neutral")
                for r in csv.DictReader(handle)]  # fmt: skip


def load_indonli(data: Path, split: str) -> list[tuple[str, str, str]]:
    name = "train.jsonl" if split == "train" else "val.jsonl"
    with (data / "nli" / "indonli" / name).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [(r["premise"], r["hypothesis"], NLI_LABELS[r["label"]]) for r in rows]


def pair_vectors(pairs: list[tuple[str, str, str]], embedder: Embedder) -> tuple[np.ndarray, np.ndarray]:
    """(alignment features, relation features) for each pair."""
    premises = embedder.encode([p for p, _, _ in pairs])
    hypotheses = embedder.encode([h for _, h, _ in pairs])
    align_rows, relate_rows = [], []
    for (p, h, _), vp, vh in zip(pairs, premises, hypotheses, strict=True):
        result = annotate([Article(id="p", text=p), Article(id="h", text=h)])
        ents = {
            doc.article.id: frozenset(m.entity for m in doc.mentions if m.entity) for doc in result.articles
        }
        pp, ph = profile(p, ents.get("p", frozenset())), profile(h, ents.get("h", frozenset()))
        cos = float(vp @ vh)
        align_rows.append(align_features(cos, pp, ph))
        relate_rows.append(relate_features(cos, pp, ph))
    return np.array(align_rows), np.array(relate_rows)


def ecb_pairs(embedder: Embedder) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Alignment features and labels of ECB+ cross-document sentence pairs: (odd topics, even topics)."""
    from dataclasses import replace as dc_replace

    from kabar.compare.align import COMMON_ENTITY_MIN, COMMON_ENTITY_SHARE
    from training.ecbplus import load, selected_sentences

    selected = selected_sentences()
    docs = load()
    rows: dict[bool, list[list[float]]] = {True: [], False: []}
    labels: dict[bool, list[int]] = {True: [], False: []}
    for topic in sorted({d.topic for d in docs}):
        units = [
            (d, n)
            for d in docs
            if d.topic == topic
            for n in range(len(d.sentences))
            if (d.name, n) in selected
        ]
        if len(units) < 2:
            continue
        articles = [Article(id=f"{d.name}#{n}", text=d.sentences[n]) for d, n in units]
        result = annotate(articles)
        ents = [frozenset(m.entity for m in doc.mentions if m.entity) for doc in result.articles]
        counts: dict[str, int] = {}
        for e in ents:
            for x in e:
                counts[x] = counts.get(x, 0) + 1
        common = {
            x for x, c in counts.items() if c > COMMON_ENTITY_SHARE * len(units) and c >= COMMON_ENTITY_MIN
        }
        profiles = [
            dc_replace(profile(d.sentences[n], e), entities=e - common)
            for (d, n), e in zip(units, ents, strict=True)
        ]
        vectors = embedder.encode([d.sentences[n] for d, n in units])
        for i in range(len(units)):
            for j in range(i + 1, len(units)):
                (di, ni), (dj, nj) = units[i], units[j]
                if di.name == dj.name:
                    continue
                same = bool(di.events.get(ni, set()) & dj.events.get(nj, set()))
                rows[topic % 2 == 1].append(
                    align_features(float(vectors[i] @ vectors[j]), profiles[i], profiles[j])
                )
                labels[topic % 2 == 1].append(int(same))
    return np.array(rows[True]), np.array(labels[True]), np.array(rows[False]), np.array(labels[False])


def fit_softmax(
    x: np.ndarray, y: np.ndarray, classes: int, l2: float = 1e-3, steps: int = 3000
) -> dict[str, Any]:
    mean, std = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / std
    w = np.zeros((z.shape[1], classes))
    b = np.zeros(classes)
    onehot = np.eye(classes)[y]
    for _ in range(steps):
        logits = z @ w + b
        logits -= logits.max(1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(1, keepdims=True)
        grad = prob - onehot
        w -= 0.5 * (z.T @ grad / len(z) + l2 * w)
        b -= 0.5 * grad.mean(0)
    return {"mean": mean.tolist(), "std": std.tolist(), "weights": w.tolist(), "bias": b.tolist()}


def predict(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    z = (x - np.array(model["mean"])) / np.array(model["std"])
    logits = z @ np.array(model["weights"]) + np.array(model["bias"])
    logits -= logits.max(1, keepdims=True)
    prob = np.exp(logits)
    return prob / prob.sum(1, keepdims=True)


def best_threshold(prob: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    best = (0.5, 0.0)
    for t in np.arange(0.05, 0.96, 0.01):
        pred = prob >= t
        tp = float((pred & (y == 1)).sum())
        f1 = 2 * tp / max(1.0, float(pred.sum() + (y == 1).sum()))
        if f1 > best[1]:
            best = (round(float(t), 2), f1)
    return best


def f1_at(prob: np.ndarray, y: np.ndarray, t: float) -> float:
    pred = prob >= t
    tp = float((pred & (y == 1)).sum())
    return 2 * tp / max(1.0, float(pred.sum() + (y == 1).sum()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pairs", type=int, default=4000, help="IndoNLI train pairs to use")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    start = time.perf_counter()
    embedder = Embedder(disk_cache=True)

    nli_train = load_indonli(args.data, "train")
    random.Random(args.seed).shuffle(nli_train)
    nli_train = nli_train[: args.pairs]
    wrete_train, wrete_val = load_wrete(args.data, "train"), load_wrete(args.data, "val")
    nli_val = load_indonli(args.data, "val")

    align_train = wrete_train + [p for p in nli_train if p[2] != "conflict"]
    xa, _ = pair_vectors(align_train, embedder)
    ya = np.array([1 if label == "agree" else 0 for _, _, label in align_train])
    align_model = fit_softmax(xa, ya, 2)
    prob = predict(align_model, xa)[:, 1]
    threshold, train_f1 = best_threshold(prob, ya)
    related = round(float(np.quantile(prob[ya == 1], 0.02)), 2)
    align_val = wrete_val + [p for p in nli_val if p[2] != "conflict"]
    xv, _ = pair_vectors(align_val, embedder)
    yv = np.array([1 if label == "agree" else 0 for _, _, label in align_val])
    val_f1 = f1_at(predict(align_model, xv)[:, 1], yv, threshold)
    xo, yo, xe, ye = ecb_pairs(embedder)
    ecb_f1 = f1_at(predict(align_model, np.vstack([xo, xe]))[:, 1], np.concatenate([yo, ye]), threshold)
    print(f"same-fact: threshold {threshold} (train F1 {train_f1:.3f}, val F1 {val_f1:.3f}, "
          f"ECB+ same-event F1 {ecb_f1:.3f}); related {related}")  # fmt: skip

    _, xr = pair_vectors(nli_train, embedder)
    yr = np.array([RELATIONS.index(label) for _, _, label in nli_train])
    relate_model = fit_softmax(xr, yr, 3)
    _, xrv = pair_vectors(nli_val, embedder)
    yrv = np.array([RELATIONS.index(label) for _, _, label in nli_val])
    accuracy = float((predict(relate_model, xrv).argmax(1) == yrv).mean())
    print(f"relation: IndoNLI val accuracy {accuracy:.3f}")

    out = {
        "about": "Fitted by training/calibrate_compare.py on ../shared/data/nli; see that script's docstring.",
        "align": {**align_model, "features": ["cosine", "content_jaccard", "entity_jaccard"],
                  "threshold": threshold, "related_threshold": related,
                  "train_f1": round(train_f1, 4), "val_f1": round(val_f1, 4), "ecb_same_event_f1": round(ecb_f1, 4),
                  "fitted_on": f"WReTE train ({len(wrete_train)}) + IndoNLI train e/n ({len(align_train) - len(wrete_train)})"},
        "relate": {**relate_model, "classes": list(RELATIONS), "val_accuracy": round(accuracy, 4),
                   "fitted_on": f"IndoNLI train ({len(nli_train)} pairs, seed {args.seed})"},
    }  # fmt: skip
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} in {time.perf_counter() - start:.0f}s")


if __name__ == "__main__":
    main()
