"""The language quality gate: scores may not fall below eval/baselines/language.json."""

from __future__ import annotations

import json

import pytest
from eval.eval_language import BASELINE, DEFAULT_DATA, accuracy, below_baseline, evaluate, evaluate_paragraphs


def test_eval_language_accuracy_counts() -> None:
    assert accuracy(["id", "id", "ms", "ms"], ["id", "ms", "ms", "ms"]) == 75.0


def test_eval_language_paragraphs_hold_the_baseline() -> None:
    pinned = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert not below_baseline({"paragraphs": evaluate_paragraphs()}, {"paragraphs": pinned["paragraphs"]})


@pytest.mark.skipif(
    not (DEFAULT_DATA / "summaries" / "indosum").is_dir(), reason="../shared/data is not beside the repo"
)
def test_eval_language_indosum_holds_the_baseline() -> None:
    pinned = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert not below_baseline(evaluate(DEFAULT_DATA), pinned)
