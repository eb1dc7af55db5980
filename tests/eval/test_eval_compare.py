"""The compare dev set, the check set beside it, and their scorer: gold labels fit their articles in both sets, and
hand-made comparisons score as they should (a perfect one at 100 everywhere, a wrong one at 0)."""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from eval.eval_compare import (
    BASELINE,
    BASELINES,
    CHECKSET,
    DEVSET,
    METRICS,
    TOLERANCE,
    Event,
    evaluate,
    gold_problems,
    load_events,
    main,
    names,
    numbers,
    score,
    value_matches,
    values_extracted,
)

EVENTS = load_events()
CHECK_EVENTS = load_events(CHECKSET)
BOTH = EVENTS + CHECK_EVENTS
BOTH_IDS = [f"{e.root.name}/{e.slug}" for e in BOTH]
PUBLISHED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")


def test_eval_compare_dev_set_has_real_multi_outlet_events() -> None:
    assert len(EVENTS) >= 14 and len(CHECK_EVENTS) >= 6
    assert not {e.slug for e in EVENTS} & {e.slug for e in CHECK_EVENTS}, "an event in both sets"
    urls = [{a["url"] for e in events for a in e.articles} for events in (EVENTS, CHECK_EVENTS)]
    assert not urls[0] & urls[1], "a source page in both sets"
    for event in BOTH:
        assert event.path.is_file(), event.path
        assert 3 <= len(event.articles) <= 6, event.slug
        assert len({a["id"] for a in event.articles}) == len(event.articles)
        for article in event.articles:
            assert article["source"] and article["url"].startswith("http"), (event.slug, article["id"])
            assert PUBLISHED.match(article["published"]), (event.slug, article["id"])
            assert article["text"].startswith(article["title"] + "\n")


def test_eval_compare_manifest_lists_every_source_page() -> None:
    for event in BOTH:
        manifest = (event.root / "README.md").read_text(encoding="utf-8")
        assert f"`{event.slug}`" in manifest
        for article in event.articles:
            assert (
                f"| {article['id']} | {article['source']} | {article['published']} | {article['url']} |"
                in manifest
            )


@pytest.mark.parametrize("event", BOTH, ids=BOTH_IDS)
def test_eval_compare_gold_fits_its_articles(event: Event) -> None:
    assert gold_problems(event) == []
    ids = [
        item["id"] for kind in ("shared", "unique", "disagreements", "updates") for item in event.gold[kind]
    ]
    assert len(ids) == len(set(ids))
    assert event.gold["shared"] and event.gold["unique"]


def test_eval_compare_gold_problems_are_reported() -> None:
    event = EVENTS[0]
    gold = json.loads(json.dumps(event.gold))
    gold["shared"][0]["articles"]["nosuch"] = "x"
    gold["unique"][0]["text"] += " (not in the article)"
    problems = gold_problems(Event(event.slug, event.articles, gold))
    assert len(problems) == 2 and "no article 'nosuch'" in problems[0] and "is not in" in problems[1]


def test_eval_compare_numbers_read_indonesian_style() -> None:
    assert numbers("Rp 7.650 per liter, M6,4, pukul 01.57 WIB, tiga orang") == {7650.0, 6.4, 1.57, 3.0}
    assert value_matches("6,4", "magnitudo 6,4") and not value_matches("6,4", "magnitudo 6,3")
    assert value_matches("30", "“30 orang”", None) and value_matches("30", "", 30.0)
    assert value_matches("Sukoharjo", "asal Sukoharjo") and not value_matches("Sukoharjo", "Surakarta")
    assert names("Menurut BNPB, Agus Wibowo di Jakarta.", skip=["Kompas TV"]) == {
        "bnpb",
        "agus",
        "wibowo",
        "jakarta",
    }


def _spans(event: Event) -> list[tuple[str, str]]:
    """Every labelled (article, substring), once."""
    seen: dict[tuple[str, str], None] = {}
    gold = event.gold
    for item in gold["shared"]:
        for article, text in item["articles"].items():
            seen[(article, text)] = None
    for item in gold["unique"]:
        seen[(item["article"], item["text"])] = None
    for item in gold["disagreements"] + gold["updates"]:
        for value in item["values"]:
            seen[(value["article"], value["text"])] = None
    return list(seen)


def _document(event: Event) -> tuple[dict[str, Any], dict[tuple[str, str], dict[str, str]]]:
    """A comparison document whose sentences are exactly the labelled substrings."""
    refs: dict[tuple[str, str], dict[str, str]] = {}
    articles = []
    for article in event.articles:
        sentences = []
        for k, (art, text) in enumerate(s for s in _spans(event) if s[0] == article["id"]):
            start = article["text"].index(text)
            sid = f"{art}:g{k}"
            sentences.append({"id": sid, "start": start, "end": start + len(text), "text": text})
            refs[(art, text)] = {"article": art, "sentence": sid}
        articles.append({"id": article["id"], "source": article["source"], "text": article["text"],
                         "sentences": sentences})  # fmt: skip
    return {"articles": articles, "facts": [], "brief": []}, refs


def _perfect(event: Event) -> dict[str, Any]:
    doc, refs = _document(event)
    gold = event.gold
    facts = [{"status": "shared", "members": [refs[a] for a in item["articles"].items()], "conflicts": []}
             for item in gold["shared"]]  # fmt: skip
    facts += [
        {"status": "unique", "members": [refs[(i["article"], i["text"])]], "conflicts": []}
        for i in gold["unique"]
    ]
    figures = []
    for item in gold["disagreements"]:
        for a, b in itertools.combinations(item["values"], 2):
            if (
                a.get("canonical", a["value"]) != b.get("canonical", b["value"])
                and a["article"] != b["article"]
            ):
                values = [{"article": v["article"], "sentence": refs[(v["article"], v["text"])]["sentence"],
                           "text": v["text"]} for v in (a, b)]  # fmt: skip
                facts.append(
                    {
                        "status": "conflict",
                        "members": [],
                        "conflicts": [{"kind": item["key"], "values": values}],
                    }
                )
    for item in gold["updates"]:
        figures.append({"key": item["key"], "status": "update",
                        "values": [{"article": v["article"], "text": v["text"], "value": None} for v in item["values"]]})  # fmt: skip
    first = gold["shared"][0]["articles"]
    doc["facts"], doc["figures"] = facts, figures
    doc["brief"] = [{"text": next(iter(first.values())), "citations": [refs[a] for a in first.items()][:1]}]
    return doc


def _wrong(event: Event) -> dict[str, Any]:
    doc, refs = _document(event)
    everything = list(refs.values())
    # Two values of one gold disagreement that are the same (or from one article): never a right pair.
    values = []
    for item in event.gold["disagreements"]:
        for a, b in itertools.combinations(item["values"], 2):
            if a["value"] == b["value"] and a["article"] != b["article"]:
                values = [{"article": v["article"], "sentence": "", "text": v["text"]} for v in (a, b)]
                break
    other = event.gold["unique"][0]
    values = values or [{"article": event.articles[0]["id"], "sentence": "", "text": "999 orang"},
                        {"article": event.articles[-1]["id"], "sentence": "", "text": "998 orang"}]  # fmt: skip
    doc["facts"] = [
        {"status": "conflict", "members": everything, "conflicts": [{"kind": "number", "values": values}]}
    ]
    shared = event.gold["shared"][0]["articles"]
    wrong_ref = refs[(other["article"], other["text"])]
    doc["brief"] = [{"text": next(iter(shared.values())) + " 12345", "citations": [wrong_ref]}]
    return doc


@pytest.mark.parametrize("event", BOTH, ids=BOTH_IDS)
def test_eval_compare_scores_a_perfect_comparison_full(event: Event) -> None:
    s = score(event.gold, _perfect(event))
    assert s.missed == []
    assert s.metrics() == dict.fromkeys(METRICS, 100.0) | (
        {"conflict_precision": 0.0} if not event.gold["disagreements"] else {}
    )


@pytest.mark.parametrize("event", BOTH, ids=BOTH_IDS)
def test_eval_compare_scores_a_wrong_comparison_zero(event: Event) -> None:
    s = score(event.gold, _wrong(event))
    m = s.metrics()
    assert m["shared_recall"] == 0 and m["unique_kept"] == 0 and m["brief_borne_out"] == 0
    assert m["conflict_recall"] == (0 if event.gold["disagreements"] else 100)
    assert m["update_recall"] == (0 if event.gold["updates"] else 100)
    assert s.pairs == [0, 1]


def test_eval_compare_every_pinned_set_has_its_baseline() -> None:
    assert set(BASELINES) == {DEVSET, CHECKSET} and BASELINES[DEVSET] == BASELINE
    for baseline in BASELINES.values():
        assert set(json.loads(baseline.read_text(encoding="utf-8"))) == set(METRICS), baseline


def test_eval_compare_refuses_to_gate_a_set_without_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["eval_compare", "--devset", str(tmp_path), "--check"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2 and "has no pinned baseline" in capsys.readouterr().err
    monkeypatch.setattr(sys, "argv", ["eval_compare", "--devset", str(tmp_path)])
    with pytest.raises(SystemExit):
        main()
    assert "no events" in capsys.readouterr().err


def test_eval_compare_holds_the_baseline() -> None:
    pinned = json.loads(BASELINE.read_text(encoding="utf-8"))
    results = evaluate(EVENTS, cold=False)
    for metric, value in pinned.items():
        assert results[metric] >= value - TOLERANCE, (metric, results[metric], value)


def test_eval_compare_tells_a_missed_dispute_extracted_apart_from_one_not_read() -> None:
    item = {
        "id": "D1",
        "key": "dead",
        "values": [
            {"article": "a", "value": "14", "text": "14 orang"},
            {"article": "b", "value": "25", "text": "25 orang"},
        ],
    }
    figure = {"key": "dead", "status": "agree", "values": [{"article": "a", "text": "14 orang", "value": 14}]}
    other = {
        "key": "buried",
        "status": "agree",
        "values": [{"article": "b", "text": "25 orang", "value": 25}],
    }
    assert values_extracted({"figures": [figure, other]}, item)
    assert not values_extracted({"figures": [figure]}, item)
    update = {"key": "dead", "status": "update", "values": [*figure["values"], *other["values"]]}
    gold = {"disagreements": [item]}
    counted = score(gold, {"figures": [update], "facts": [], "articles": []})
    assert (
        counted.conflicts == [0, 1] and counted.conflicts_as_update == 1 and counted.conflicts_extracted == 1
    )
