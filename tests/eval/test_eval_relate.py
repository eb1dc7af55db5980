"""The relation quality gate: IndoNLI val scores may not fall below eval/baselines/relate.json."""

from __future__ import annotations

import json

import pytest
from eval.eval_relate import BASELINE, DEFAULT_DATA, TOLERANCE, evaluate, metrics


def test_eval_relate_metrics_count() -> None:
    result = metrics(
        ["agree", "conflict", "conflict", "neutral"], ["agree", "conflict", "neutral", "conflict"]
    )
    assert result["accuracy"] == 50.0
    assert result["conflict_precision"] == 50.0 and result["conflict_recall"] == 50.0


@pytest.mark.skipif(
    not (DEFAULT_DATA / "nli" / "indonli").is_dir(), reason="../shared/data is not beside the repo"
)
def test_eval_relate_holds_the_baseline() -> None:
    pinned = json.loads(BASELINE.read_text(encoding="utf-8"))
    results = evaluate(DEFAULT_DATA)
    for name, scores in pinned.items():
        for metric, value in scores.items():
            assert float(results[name][metric]) >= value - TOLERANCE, (
                name,
                metric,
                results[name][metric],
                value,
            )  # type: ignore[arg-type]
