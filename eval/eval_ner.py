"""Entity-level NER scores on each dev set of ../shared/data/ner, conlleval style (as IndoNLU reports them):
micro precision/recall/F1 over all entities and macro F1 over the set's types.

    .venv/bin/python -m eval.eval_ner [--model PATH] [--extractor EXTRACTOR] [--check] [--write-baseline [--lower-baseline REASON]]

Extractors: ``combined`` (the fast tier: CRF + gazetteer and rules, as annotate runs it), ``crf`` (the CRF
alone), ``accurate`` (the e5 token classifier + gazetteer and rules), ``encoder`` (the e5 classifier alone),
``rules``. Predicted types a set does not annotate (EVT on NERGrit, say) are scored as O for that set.
``--check`` fails (exit 1) when a score falls more than 0.1 point below the extractor's pinned baseline
(eval/baselines/ner.json for combined, ner-accurate.json and ner-encoder.json for the e5 tiers);
``--write-baseline`` pins the current scores there, never lower unless ``--lower-baseline REASON`` says why
(``eval.gate``).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from training.ner_data import DEFAULT_DATA, SETS, load

from eval import gate
from kabar.e5 import tagger
from kabar.extract.crf import default_model_path, spans_from_tags, tag_words
from kabar.extract.ner import tag_words as stage_tags

BASELINES = Path(__file__).resolve().parent / "baselines"
BASELINE = BASELINES / "ner.json"  # the fast tier's (combined) scores
BASELINE_FILES = {"accurate": "ner-accurate.json", "encoder": "ner-encoder.json"}
TOLERANCE = 0.1


def score(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], types: Sequence[str]
) -> dict[str, float]:
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g = {(s.start, s.end, s.type) for s in spans_from_tags(g_tags) if s.type in types}
        p = {(s.start, s.end, s.type) for s in spans_from_tags(p_tags) if s.type in types}
        for _, _, t in g:
            n_gold[t] += 1
        for _, _, t in p:
            n_pred[t] += 1
        for _, _, t in g & p:
            tp[t] += 1

    def f1(t: int, ng: int, np_: int) -> tuple[float, float, float]:
        p = t / np_ if np_ else 0.0
        r = t / ng if ng else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    p, r, f = f1(sum(tp.values()), sum(n_gold.values()), sum(n_pred.values()))
    per_type = {t: f1(tp[t], n_gold[t], n_pred[t])[2] for t in types}
    result = {"precision": 100 * p, "recall": 100 * r, "micro_f1": 100 * f,
              "macro_f1": 100 * sum(per_type.values()) / len(types)}  # fmt: skip
    result.update({f"f1_{t}": 100 * v for t, v in per_type.items()})
    return {k: round(v, 2) for k, v in result.items()}


def evaluate(
    data: Path, model: Path, extractor: str, encoder_model: Path | None = None
) -> dict[str, dict[str, float]]:
    """Dev scores of an extractor per set; ``model`` is the CRF's file, ``encoder_model`` the accurate tier's
    ONNX file (by default the packaged one)."""
    results = {}
    for name, (_, _, types) in SETS.items():
        sentences = load(data, name, "dev")
        start = time.perf_counter()
        if extractor == "crf":
            pred = [tag_words(words, model) for words, _ in sentences]
        elif extractor == "encoder":
            pred = tagger.tag_sentences([words for words, _ in sentences], encoder_model)
        else:
            mode = {"rules": "rules", "accurate": "accurate"}.get(extractor, "crf")
            pred = [stage_tags(words, mode) for words, _ in sentences]
        seconds = time.perf_counter() - start
        results[name] = score([t for _, t in sentences], pred, types)
        results[name]["sentences"] = len(sentences)
        results[name]["tokens_per_second"] = round(sum(len(w) for w, _ in sentences) / seconds)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", type=Path, default=default_model_path())
    parser.add_argument(
        "--extractor", choices=["crf", "combined", "rules", "accurate", "encoder"], default="combined"
    )
    gate.add_arguments(parser)
    args = parser.parse_args()

    results = evaluate(args.data, args.model, args.extractor)
    baseline = BASELINES / BASELINE_FILES.get(args.extractor, "ner.json")
    for name, r in results.items():
        types = " ".join(f"{k[3:]} {v:.1f}" for k, v in r.items() if k.startswith("f1_"))
        print(f"{name:>14}: micro P {r['precision']:.2f} R {r['recall']:.2f} F1 {r['micro_f1']:.2f} | "
              f"macro F1 {r['macro_f1']:.2f} | {types} | {r['tokens_per_second']:,} tok/s")  # fmt: skip
    measured = {n: {"micro_f1": r["micro_f1"], "macro_f1": r["macro_f1"]} for n, r in results.items()}
    gate.apply(args, baseline, measured, TOLERANCE)


if __name__ == "__main__":
    main()
