"""``kabar compare`` on real multi-outlet news (eval/devsets/compare): shared-fact recall, conflict recall and
precision at the level of the two values, updates told apart, unique facts kept unique, brief lines borne out by
their citations, and time per event; against a pinned baseline.

    .venv/bin/python -m eval.eval_compare [--devset DIR] [--event SLUG] [--check] [--write-baseline [--lower-baseline REASON]] [--verbose] [--json FILE]

``--devset`` picks the events: ``eval/devsets/compare`` (the default, the set the engine is tuned on, pinned in
``eval/baselines/compare.json``) or ``eval/devsets/compare-check`` (a check set of other real events in the same
format that nobody tunes on: it tells how the figures carry over to unseen news; pinned apart in
``eval/baselines/compare-check.json``). Any other folder of events is scored but has no baseline to check.

Each event is a folder with ``articles.jsonl`` (id, source, url, published, title, text: real reports rewritten,
facts kept) and ``gold.json``:

- ``shared``: facts two or more articles state, ``{"id", "fact", "articles": {article: exact substring}}``;
- ``unique``: facts one article states, ``{"id", "fact", "article", "text"}``;
- ``disagreements``: one figure (date, place, status) given incompatible values for the same time, and
  ``updates``: one figure changing over time, both ``{"id", "key", "values": [{"article", "value", "text"}]}``.

A gold shared fact is found when one system fact of status shared has members covering its substrings in two or
more of its articles. A gold disagreement is found when a reported conflict pair holds two of its different values
from their articles; a reported pair is right when it matches a gold disagreement or update. Pairs come from
``facts[].conflicts[].values`` and, when the comparison has them, from ``figures`` of status disagreement or
correction (``figures`` of status update answer the gold updates). A brief line is borne out when every number and
capitalised name in it appears in every sentence or clause it cites.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval import gate

ROOT = Path(__file__).resolve().parent.parent
DEVSET = Path(__file__).resolve().parent / "devsets" / "compare"
BASELINE = Path(__file__).resolve().parent / "baselines" / "compare.json"
CHECKSET = Path(__file__).resolve().parent / "devsets" / "compare-check"
CHECK_BASELINE = Path(__file__).resolve().parent / "baselines" / "compare-check.json"
BASELINES = {DEVSET: BASELINE, CHECKSET: CHECK_BASELINE}
"""Each event set with a pinned baseline, and its baseline."""
TOLERANCE = 0.5
"""Points a pinned percentage may drop before the gate fails (run-to-run noise is nil: the pipeline is
deterministic; the margin absorbs rounding)."""
COVER = 0.5
"""A system member covers a gold substring when it overlaps at least half of it: a clause split may cut a
substring's edge, but a member that touches only a word of it does not state it."""
SHARED_STATUSES = frozenset({"shared"})
UNIQUE_STATUSES = frozenset({"unique"})
CONFLICT_FIGURES = frozenset({"disagreement", "correction"})
UPDATE_FIGURES = frozenset({"update"})
METRICS = ("shared_recall", "conflict_recall", "conflict_precision", "update_recall", "unique_kept",
           "brief_borne_out")  # fmt: skip

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORDS = {"satu": 1.0, "dua": 2.0, "tiga": 3.0, "empat": 4.0, "lima": 5.0, "enam": 6.0, "tujuh": 7.0,
          "delapan": 8.0, "sembilan": 9.0, "sepuluh": 10.0, "sebelas": 11.0, "seorang": 1.0}  # fmt: skip
_NAME = re.compile(r"\b[A-Z][\w'’-]*")
_CODE = re.compile(r"\b[A-Z]{2,}\b")
_TOKEN_EDGE = re.compile(r"[\s\"“”'‘’(),:;.!?-]+")


@dataclass(frozen=True)
class Event:
    slug: str
    articles: list[dict[str, Any]]
    gold: dict[str, Any]
    root: Path = DEVSET
    """The event set the event's folder is in."""

    @property
    def path(self) -> Path:
        return self.root / self.slug / "articles.jsonl"


@dataclass(frozen=True)
class Pair:
    """Two values reported as incompatible (or, with ``update``, as one figure changing)."""

    a: tuple[str, str, float | None]
    b: tuple[str, str, float | None]
    update: bool = False


@dataclass
class Score:
    """Counts for one event (or summed over events)."""

    shared: list[int] = field(default_factory=lambda: [0, 0])
    conflicts: list[int] = field(default_factory=lambda: [0, 0])
    pairs: list[int] = field(default_factory=lambda: [0, 0])
    updates: list[int] = field(default_factory=lambda: [0, 0])
    updates_as_conflict: int = 0
    conflicts_as_update: int = 0
    """Missed disagreements reported as an update instead (the two values' times told apart)."""
    conflicts_extracted: int = 0
    """Missed disagreements whose values each stand in the comparison's figures, from two articles, under any key:
    extracted but not paired (a key or scope apart), as against not read as figures at all."""
    unique: list[int] = field(default_factory=lambda: [0, 0])
    brief: list[int] = field(default_factory=lambda: [0, 0])
    missed: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("shared", "conflicts", "pairs", "updates", "unique", "brief"):
            mine, theirs = getattr(self, name), getattr(other, name)
            mine[0] += theirs[0]
            mine[1] += theirs[1]
        self.updates_as_conflict += other.updates_as_conflict
        self.conflicts_as_update += other.conflicts_as_update
        self.conflicts_extracted += other.conflicts_extracted

    def metrics(self) -> dict[str, float]:
        def pct(found: list[int]) -> float:
            return round(100 * found[0] / found[1], 2) if found[1] else 100.0

        return {
            "shared_recall": pct(self.shared),
            "conflict_recall": pct(self.conflicts),
            "conflict_precision": pct(self.pairs) if self.pairs[1] else 0.0,
            "update_recall": pct(self.updates),
            "unique_kept": pct(self.unique),
            "brief_borne_out": pct(self.brief),
        }


def load_events(root: Path = DEVSET, only: str | None = None) -> list[Event]:
    events = []
    for folder in sorted(p for p in root.iterdir() if (p / "gold.json").is_file()):
        if only and folder.name != only:
            continue
        with (folder / "articles.jsonl").open(encoding="utf-8") as handle:
            articles = [json.loads(line) for line in handle if line.strip()]
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        events.append(Event(folder.name, articles, gold, root))
    return events


def gold_problems(event: Event) -> list[str]:
    """Every labelled article exists and every labelled substring occurs in its article's text."""
    texts = {a["id"]: a["text"] for a in event.articles}
    problems = []
    for kind, item, article, text in gold_spans(event.gold):
        if article not in texts:
            problems.append(f"{event.slug} {kind} {item}: no article {article!r}")
        elif text not in texts[article]:
            problems.append(f"{event.slug} {kind} {item}: {text!r} is not in {article}")
    for kind in ("disagreements", "updates"):
        for item in event.gold.get(kind, []):
            if len({_canonical(v) for v in item["values"]}) < 2:
                problems.append(f"{event.slug} {kind} {item['id']}: fewer than two different values")
    for item in event.gold.get("shared", []):
        if len(item["articles"]) < 2:
            problems.append(f"{event.slug} shared {item['id']}: fewer than two articles")
    return problems


def gold_spans(gold: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    """(kind, item id, article, substring) for every labelled substring."""
    for item in gold.get("shared", []):
        for article, text in item["articles"].items():
            yield "shared", item["id"], article, text
    for item in gold.get("unique", []):
        yield "unique", item["id"], item["article"], item["text"]
    for kind in ("disagreements", "updates"):
        for item in gold.get(kind, []):
            for value in item["values"]:
                yield kind, item["id"], value["article"], value["text"]


def numbers(text: str) -> set[float]:
    """Numbers written in Indonesian style ("1.655" thousands, "6,4" decimal, "01.57" a time) and small
    number words."""
    out = set()
    for raw in _NUMBER.findall(text):
        if "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
        elif "." in raw and all(len(part) == 3 for part in raw.split(".")[1:]):
            raw = raw.replace(".", "")
        try:
            out.add(float(raw))
        except ValueError:
            continue
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _WORDS:
            out.add(_WORDS[word])
    return out


def _words(text: str) -> str:
    return " ".join(_TOKEN_EDGE.split(text.lower())).strip()


def _norm_value(value: str) -> str:
    found = numbers(value)
    return " ".join(str(n) for n in sorted(found)) if found else _words(value)


def _canonical(value: dict[str, Any]) -> str:
    """A gold value's identity, from its ``canonical`` form when one is given ("Solo" is "Surakarta", "2:40 p.m."
    is "14.40"); the letters of a code count ("K 1745 AZ" is not "K 1745 CF")."""
    text = str(value.get("canonical", value["value"]))
    return " ".join([_norm_value(text), *_CODE.findall(text)])


def value_matches(gold_value: str, text: str, value: float | None = None) -> bool:
    """Does a reported value (its text, and its number when known) state the gold value?"""
    wanted = numbers(gold_value)
    if wanted:
        have = numbers(text) | ({value} if value is not None else set())
        return wanted <= have and all(re.search(rf"\b{c}\b", text) for c in _CODE.findall(gold_value))
    gold_norm, text_norm = _words(gold_value), _words(text)
    padded_gold, padded_text = f" {gold_norm} ", f" {text_norm} "
    return bool(gold_norm) and (
        padded_gold in padded_text or (len(text_norm) > 3 and padded_text in padded_gold)
    )


def names(text: str, skip: Iterable[str] = ()) -> set[str]:
    """Capitalised words not opening a sentence, minus ``skip`` (the outlets' names)."""
    skipped = {w.lower() for s in skip for w in _NAME.findall(s or "")}
    out = set()
    for match in _NAME.finditer(text):
        before = text[: match.start()].rstrip(" \"“‘'(")
        if not before or before[-1] in ".!?:\n":
            continue
        word = match.group().strip("'’-").lower()
        if word and word not in skipped:
            out.add(word)
    return out


class Located:
    """Character ranges of the comparison's members and of the gold substrings, per article."""

    def __init__(self, result: dict[str, Any]) -> None:
        self.texts = {a["id"]: a["text"] for a in result["articles"]}
        self.sentences = {
            s["id"]: (s["start"], s["text"]) for a in result["articles"] for s in a["sentences"]
        }

    def member(self, ref: dict[str, Any]) -> tuple[int, int]:
        start, text = self.sentences.get(ref["sentence"], (0, ""))
        lo, hi = ref.get("span") or (0, len(text))
        return start + lo, start + hi

    def stated(self, ref: dict[str, Any]) -> str:
        _, text = self.sentences.get(ref["sentence"], (0, ""))
        lo, hi = ref.get("span") or (0, len(text))
        return str(text[lo:hi])

    def gold(self, article: str, text: str) -> tuple[int, int] | None:
        at = self.texts.get(article, "").find(text)
        return None if at < 0 else (at, at + len(text))

    def covers(self, ref: dict[str, Any], article: str, text: str) -> bool:
        where = self.gold(article, text)
        if ref["article"] != article or where is None:
            return False
        lo, hi = self.member(ref)
        return min(hi, where[1]) - max(lo, where[0]) >= COVER * (where[1] - where[0])


def reported_pairs(result: dict[str, Any]) -> list[Pair]:
    """Conflict pairs from the facts and, when present, conflict and update pairs from ``figures``."""
    pairs: dict[tuple[Any, ...], Pair] = {}
    for fact in result.get("facts", []):
        for conflict in fact.get("conflicts", []):
            values = [(v["article"], v["text"], None) for v in conflict["values"]]
            for a, b in itertools.combinations(values, 2):
                if a[0] != b[0]:
                    pairs.setdefault(("c", *sorted((a[:2], b[:2]))), Pair(a, b))
    for figure in result.get("figures") or []:
        status = figure.get("status")
        if status not in CONFLICT_FIGURES | UPDATE_FIGURES:
            continue
        values = [(v["article"], v.get("text") or "", v.get("value")) for v in figure.get("values", [])]
        for a, b in itertools.combinations(values, 2):
            if a[0] != b[0] and (a[2] is None or a[2] != b[2]):
                kind = "u" if status in UPDATE_FIGURES else "c"
                pairs.setdefault((kind, *sorted((a[:2], b[:2]))), Pair(a, b, update=kind == "u"))
    return list(pairs.values())


def pair_matches(pair: Pair, item: dict[str, Any]) -> bool:
    """Does the pair hold two different gold values of this item, each from its own article?"""
    for g1, g2 in itertools.permutations(item["values"], 2):
        if _canonical(g1) == _canonical(g2):
            continue
        if all(
            side[0] == g["article"] and value_matches(g["value"], side[1], side[2])
            for side, g in ((pair.a, g1), (pair.b, g2))
        ):
            return True
    return False


def values_extracted(result: dict[str, Any], item: dict[str, Any]) -> bool:
    """Do two different gold values of this item, from two articles, each stand among the comparison's figure
    values (any key, any status)?"""
    seen = [
        (v["article"], v.get("text") or "", v.get("value"))
        for figure in result.get("figures") or []
        for v in figure.get("values", [])
    ]
    held = [
        g
        for g in item["values"]
        if any(a == g["article"] and value_matches(g["value"], text, value) for a, text, value in seen)
    ]
    return any(
        g1["article"] != g2["article"] and _canonical(g1) != _canonical(g2)
        for g1, g2 in itertools.combinations(held, 2)
    )


def brief_borne_out(result: dict[str, Any], where: Located) -> list[bool]:
    """Per brief line: is every number and name in it stated by the sources it cites?

    A line that names outlets ("menurut Tagar.id, ...; menurut JPNN.com, ...") is read in segments: what follows
    an outlet's name must be stated by that outlet's cited text. Everything else in the line must be stated by
    every cited article (the clauses cited from one article taken together)."""
    outlets = {a["id"]: a.get("source") or "" for a in result["articles"]}
    out = []
    for line in result.get("brief", []):
        cited: dict[str, str] = {}
        for ref in line.get("citations", []):
            cited[ref["article"]] = cited.get(ref["article"], "") + " " + where.stated(ref)
        out.append(
            bool(cited)
            and all(
                _states(cited[a], part, outlets.values())
                for a, part in _segments(line["text"], cited, outlets)
            )
        )
    return out


def _segments(text: str, cited: dict[str, str], outlets: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(article, part of the line it must state): the part after each cited outlet's name, the rest for all."""
    marks = sorted(
        (m.start(), m.end(), article)
        for article, name in outlets.items()
        if name and article in cited
        for m in re.finditer(re.escape(name), text)
    )
    rest = text[: marks[0][0]] if marks else text
    for k, (_, end, article) in enumerate(marks):
        yield article, text[end : marks[k + 1][0] if k + 1 < len(marks) else len(text)]
    for article in cited:
        yield article, rest


def _states(cited: str, part: str, outlets: Iterable[str]) -> bool:
    lower = cited.lower()
    return numbers(part) <= numbers(cited) and all(n in lower for n in names(part, outlets))


def score(gold: dict[str, Any], result: dict[str, Any]) -> Score:
    """Score one comparison (the ``kabar compare --format json`` document) against one event's gold labels."""
    where = Located(result)
    facts = result.get("facts", [])
    s = Score()
    for item in gold.get("shared", []):
        found = any(
            len({a for a, text in item["articles"].items() for m in f["members"] if where.covers(m, a, text)})
            >= 2
            for f in facts
            if f["status"] in SHARED_STATUSES
        )
        s.shared[0] += found
        s.shared[1] += 1
        if not found:
            s.missed.append(f"shared {item['id']}: {item['fact']}")
    for item in gold.get("unique", []):
        found = any(
            f["status"] in UNIQUE_STATUSES
            and any(where.covers(m, item["article"], item["text"]) for m in f["members"])
            for f in facts
        )
        s.unique[0] += found
        s.unique[1] += 1
        if not found:
            s.missed.append(f"unique {item['id']}: {item['fact']}")
    pairs = reported_pairs(result)
    conflicts = [p for p in pairs if not p.update]
    for item in gold.get("disagreements", []):
        found = any(pair_matches(p, item) for p in conflicts)
        s.conflicts[0] += found
        s.conflicts[1] += 1
        if not found:
            s.missed.append(f"disagreement {item['id']} ({item['key']})")
            s.conflicts_as_update += any(pair_matches(p, item) for p in pairs if p.update)
            s.conflicts_extracted += values_extracted(result, item)
    for item in gold.get("updates", []):
        found = any(pair_matches(p, item) for p in pairs if p.update)
        s.updates[0] += found
        s.updates[1] += 1
        s.updates_as_conflict += not found and any(pair_matches(p, item) for p in conflicts)
        if not found:
            s.missed.append(f"update {item['id']} ({item['key']})")
    labelled = gold.get("disagreements", []) + gold.get("updates", [])
    s.pairs[0] = sum(any(pair_matches(p, item) for item in labelled) for p in conflicts)
    s.pairs[1] = len(conflicts)
    borne = brief_borne_out(result, where)
    s.brief = [sum(borne), len(borne)]
    return s


def run(event: Event) -> tuple[dict[str, Any], float, float]:
    """Read, annotate and compare one event; return the comparison document, the first and a repeated time."""
    from kabar.compare.run import compare
    from kabar.ingest import read_paths, unique_ids
    from kabar.pipeline import annotate
    from kabar.report import comparison_dict

    start = time.perf_counter()
    annotation = annotate(unique_ids(read_paths([event.path])))
    result = compare(annotation)
    first = time.perf_counter() - start
    start = time.perf_counter()
    compare(annotate(unique_ids(read_paths([event.path]))))
    again = time.perf_counter() - start
    return comparison_dict(result), first, again


def cold_seconds(event: Event) -> float:
    """Wall time of ``kabar compare`` on the event in a fresh process: models loaded from disk, no vector cache."""
    start = time.perf_counter()
    command = [sys.executable, "-m", "kabar", "compare", str(event.path), "-f", "json", "-q"]
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "KABAR_NO_CACHE": "1"})
    return time.perf_counter() - start


def _line(name: str, s: Score, extra: str = "") -> str:
    return (
        f"{name:<28} shared {s.shared[0]}/{s.shared[1]}  conflicts {s.conflicts[0]}/{s.conflicts[1]}"
        f" (missed: {s.conflicts_as_update} as update, {s.conflicts_extracted} extracted unpaired)  "
        f"pairs right {s.pairs[0]}/{s.pairs[1]}  updates {s.updates[0]}/{s.updates[1]}"
        f" (+{s.updates_as_conflict} as conflict)  unique {s.unique[0]}/{s.unique[1]}  "
        f"brief borne out {s.brief[0]}/{s.brief[1]}{extra}"
    )


def evaluate(events: list[Event], verbose: bool = False, cold: bool = True) -> dict[str, Any]:
    """Compare every event, print its line, and return the overall figures, the counts and the times (``cold``:
    also time the largest event in a fresh process)."""
    total = Score()
    times = []
    per_event = {}
    for event in events:
        result, first, again = run(event)
        s = score(event.gold, result)
        total.add(s)
        times.append((event.slug, len(event.articles), first, again))
        per_event[event.slug] = {
            **s.metrics(),
            "missed": s.missed,
            "seconds": [round(first, 3), round(again, 3)],
        }
        print(_line(event.slug, s, f"  {len(event.articles)} art. {first:.2f}s / {again:.2f}s"))
        if verbose:
            for missed in s.missed:
                print(f"    missed {missed}")
    largest = max(events, key=lambda e: (len(e.articles), sum(len(a["text"]) for a in e.articles)))
    return {
        **total.metrics(),
        "counts": total,
        "events": per_event,
        "seconds": times,
        "cold": (largest.slug, len(largest.articles), cold_seconds(largest) if cold else None),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--devset", type=Path, default=DEVSET,
                        help="The folder of events to score (default eval/devsets/compare; the check set is "
                             "eval/devsets/compare-check).")  # fmt: skip
    parser.add_argument("--event", help="Only this event (a folder name under the --devset folder).")
    gate.add_arguments(parser)
    parser.add_argument("--verbose", "-v", action="store_true", help="List the gold items each event misses.")
    parser.add_argument("--json", type=Path, help="Also write the figures, per event and overall, to this file.")  # fmt: skip
    args = parser.parse_args()
    if args.event and (args.check or args.write_baseline):
        parser.error("--check and --write-baseline take the whole dev set, not --event")
    root = args.devset.resolve()
    if not root.is_dir():
        parser.error(f"--devset {args.devset}: no such folder")
    baseline = BASELINES.get(root)
    if baseline is None and (args.check or args.write_baseline):
        parser.error(f"--devset {args.devset} has no pinned baseline; --check and --write-baseline take "
                     + " or ".join(str(p.relative_to(ROOT)) for p in BASELINES))  # fmt: skip
    # The first pass encodes every sentence; the repeat hits the in-memory cache.
    os.environ["KABAR_NO_CACHE"] = "1"
    events = load_events(root, only=args.event)
    if not events:
        parser.error(
            f"no events (folders with gold.json) in {args.devset}"
            + (f" named {args.event}" if args.event else "")
        )
    problems = [p for e in events for p in gold_problems(e)]
    if problems:
        sys.exit("gold labels do not fit the articles:\n  " + "\n  ".join(problems))
    results = evaluate(events, args.verbose)
    print(_line(f"all ({len(events)} events)", results["counts"]))
    print("  ".join(f"{k} {results[k]}" for k in METRICS))
    warm = [t for *_, t in results["seconds"]]
    first = [t for _, _, t, _ in results["seconds"]]
    slug, size, cold = results["cold"]
    print(f"time per event: first pass {sum(first) / len(first):.2f}s (max {max(first):.2f}s, the first event loads "
          f"the models), repeated {sum(warm) / len(warm):.2f}s (max {max(warm):.2f}s); "
          f"cold {cold:.2f}s for {slug} ({size} articles, fresh process, no vector cache)")  # fmt: skip
    if args.json:
        overall = {k: results[k] for k in METRICS}
        args.json.write_text(json.dumps({"overall": overall, "events": results["events"]}, indent=2) + "\n")
    if baseline is not None:
        gate.apply(args, baseline, {k: results[k] for k in METRICS}, TOLERANCE)


if __name__ == "__main__":
    main()
