"""Language identification, Indonesian against Malay, against a pinned baseline.

    .venv/bin/python -m eval.eval_language [--check] [--write-baseline [--lower-baseline REASON]] [--cld3-only]

Three measures:
- ``paragraphs``: news paragraphs written in our own words from facts published by Malaysian and Indonesian
  outlets (eval/devsets/language/paragraphs.jsonl, gold ``ms`` or ``id``). The ``dev`` batch was looked at while
  the marker word lists were chosen; the ``check`` batch was written afterwards.
- ``indosum_articles``: the IndoSum dev fold in ../shared/data (750 real Indonesian news articles): the share
  labelled ``id``.
- ``indosum_paragraphs``: the same articles' paragraphs longer than 80 characters, one at a time.

IndoSum is skipped when ../shared/data is not beside the repository. ``--cld3-only`` scores CLD3's own answer
(below its confidence threshold, "und"), for comparison.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_annotate import load_indosum

from eval import gate
from kabar.text.language import _identifier, detect_language

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
PARAGRAPHS = Path(__file__).resolve().parent / "devsets" / "language" / "paragraphs.jsonl"
BASELINE = Path(__file__).resolve().parent / "baselines" / "language.json"
TOLERANCE = 0.5
MIN_PARAGRAPH_CHARS = 80


def accuracy(gold: list[str], predicted: list[str]) -> float:
    return round(100 * sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(1, len(gold)), 2)


def cld3_only(text: str) -> str:
    result = _identifier().FindLanguage(text=text[:4000])
    return str(result.language) if result.probability >= 0.5 else "und"


def evaluate_paragraphs(detect: Callable[[str], str] = detect_language) -> dict[str, float]:
    rows = [json.loads(line) for line in PARAGRAPHS.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: dict[str, float] = {}
    for batch in ("dev", "check", None):
        chosen = [r for r in rows if batch is None or r["batch"] == batch]
        predicted = [detect(r["text"]) for r in chosen]
        out[batch or "all"] = accuracy([r["gold"] for r in chosen], predicted)
        for language in ("id", "ms"):
            pairs = [(r["gold"], p) for r, p in zip(chosen, predicted, strict=True) if r["gold"] == language]
            out[f"{batch or 'all'}_{language}"] = accuracy([g for g, _ in pairs], [p for _, p in pairs])
    return out


def evaluate_indosum(
    data: Path, detect: Callable[[str], str] = detect_language
) -> dict[str, dict[str, float]]:
    articles = load_indosum(data)
    paragraphs = [p for a in articles for p in a["text"].split("\n\n") if len(p) > MIN_PARAGRAPH_CHARS]
    out = {}
    for name, texts in (
        ("indosum_articles", [a["text"] for a in articles]),
        ("indosum_paragraphs", paragraphs),
    ):
        predicted = [detect(t) for t in texts]
        out[name] = {
            "texts": len(texts),
            "id": accuracy(["id"] * len(texts), predicted),
            "ms": round(100 * predicted.count("ms") / max(1, len(texts)), 2),
        }
    return out


def evaluate(data: Path, detect: Callable[[str], str] = detect_language) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {"paragraphs": evaluate_paragraphs(detect)}
    if (data / "summaries" / "indosum").is_dir():
        results.update(evaluate_indosum(data, detect))
    return results


# The figures pinned, and whether higher is better.
PINNED = {
    "paragraphs": {"all": True, "check": True},
    "indosum_articles": {"id": True},
    "indosum_paragraphs": {"id": True},
}


def below_baseline(results: dict[str, dict[str, float]], pinned: dict[str, dict[str, float]]) -> list[str]:
    return gate.below(_as_baseline(results), _as_baseline(pinned), TOLERANCE)


def _as_baseline(figures: dict[str, dict[str, float]]) -> gate.Baseline:
    return {name: dict(scores) for name, scores in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    gate.add_arguments(parser)
    parser.add_argument("--cld3-only", action="store_true", help="score CLD3 alone, for comparison")
    args = parser.parse_args()
    if args.cld3_only and (args.write_baseline or args.check):
        parser.error("--cld3-only only reports")
    results = evaluate(args.data, cld3_only if args.cld3_only else detect_language)
    for name, scores in results.items():
        print(f"{name:>19}: " + ", ".join(f"{k} {v}" for k, v in scores.items()))
    if "indosum_articles" not in results:
        print("IndoSum skipped: ../shared/data is not beside the repository")
    measured = {name: {k: results[name][k] for k in keys} for name, keys in PINNED.items() if name in results}
    gate.apply(args, BASELINE, _as_baseline(measured), TOLERANCE)


if __name__ == "__main__":
    main()
