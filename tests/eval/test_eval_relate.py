"""The relation quality gate: IndoNLI val scores of each tier may not fall below its pinned baseline."""

from __future__ import annotations

import json

import pytest
from eval.eval_relate import BASELINES, DEFAULT_DATA, TOLERANCE, evaluate, metrics


def test_eval_relate_metrics_count() -> None:
    result = metrics(
        ["agree", "conflict", "conflict", "neutral"], ["agree", "conflict", "neutral", "conflict"]
    )
    assert result["accuracy"] == 50.0
    assert result["conflict_precision"] == 50.0 and result["conflict_recall"] == 50.0


@pytest.mark.skipif(
    not (DEFAULT_DATA / "nli" / "indonli").is_dir(), reason="../shared/data is not beside the repo"
)
@pytest.mark.parametrize("tier", ["auto", "fast"])
def test_eval_relate_holds_the_baseline(tier: str) -> None:
    pinned = json.loads(BASELINES[tier].read_text(encoding="utf-8"))
    results = evaluate(DEFAULT_DATA, tier=tier)  # type: ignore[arg-type]
    for name, scores in pinned.items():
        for metric, value in scores.items():
            assert float(results[name][metric]) >= value - TOLERANCE, (
                name,
                metric,
                results[name][metric],
                value,
            )  # type: ignore[arg-type]
