"""Conflicts across a story from claims: disputed figures (one fact per figure key) and opposite statuses
("harga Premium naik" against "harga Premium batal naik")."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from kabar.claims.extract import NEGATIVE_STATUSES
from kabar.compare.align import Statement
from kabar.compare.facts import figure_conflict
from kabar.compare.figures import disputed_pairs
from kabar.records import Claims, Conflict, ConflictValue, DateRef, Figure

NAME = "story-conflicts.v1"


def figure_facts(
    figures: Sequence[Figure], items: Sequence[Statement], claims: Sequence[Claims]
) -> list[tuple[list[int], list[Conflict]]]:
    """For each disputed figure: the statements holding the disputed values, and one conflict per pair."""
    source_of = {item.article: item.source for item in items}
    holder: dict[tuple[str, int], int] = {}
    for k, c in enumerate(claims):
        for f in c.figures:
            holder.setdefault((f.article, f.start), k)
    out = []
    for figure in figures:
        if figure.status not in {"disagreement", "correction"}:
            continue
        pairs = disputed_pairs(figure, source_of)
        if not pairs:
            continue
        members = sorted({holder[(v.article, v.start)] for pair in pairs for v in pair})
        out.append((members, [figure_conflict(a, b) for a, b in pairs]))
    return out


def status_conflicts(a: Statement, b: Statement, ca: Claims, cb: Claims) -> list[Conflict]:
    """A cancellation, postponement or denial in one statement against the same thing stated plainly in the
    other: the status's target word ("naik" of "batal naik") is among the other's content words, which carry
    no such status."""
    for x, y, cx, cy in ((a, b, ca, cb), (b, a, cb, ca)):
        negative = [s for s in cx.statuses if s.status in NEGATIVE_STATUSES]
        if not negative or any(s.status in NEGATIVE_STATUSES for s in cy.statuses):
            continue
        for status in negative:
            target = status.target.split()[:1]
            if target and target[0] in y.profile.words:
                first = ConflictValue(x.article, x.ref.sentence, status.cue + " " + status.target)
                second = ConflictValue(y.article, y.ref.sentence, _word_in(y, target[0]))
                pair = (first, second) if x is a else (second, first)
                return [Conflict("status", pair)]
    return []


def _word_in(statement: Statement, root: str) -> str:
    from kabar.compare.features import content_word

    for word in statement.text.split():
        if content_word(word.strip('.,;:"“”')) == root:
            return word.strip('.,;:"“”')
    return root


# Two hours of one event disagree when further apart than this ("pukul 18.30" / "18.50"; "19.57" / "20.00" agree).
TIME_TOLERANCE_MINUTES = 10
_AS_OF = re.compile(r"\b(?:hingga|sampai|per|as of|until)\b[^,.;]{0,25}$", re.I)


def same_event(a: Claims, b: Claims) -> bool:
    """Whether two statements report one event: a predicate in common."""
    return bool({e.predicate for e in a.events} & {e.predicate for e in b.events})


def time_conflicts(a: Statement, b: Statement) -> list[Conflict]:
    """One hour each for one event, further apart than ``TIME_TOLERANCE_MINUTES`` ("pukul 13.37 WIB" / "sekitar
    pukul 14.00 WIB"); an "as of" hour ("hingga pukul 21.00") says when something was counted, not when it
    happened."""
    ta, tb = _hours(a), _hours(b)
    if len(ta) != 1 or len(tb) != 1:
        return []
    (_, da), (_, db) = ta[0], tb[0]
    if _minutes_apart(ta[0], tb[0]) <= TIME_TOLERANCE_MINUTES:
        return []
    return [Conflict("time", (ConflictValue(a.article, a.ref.sentence, da.text),
                              ConflictValue(b.article, b.ref.sentence, db.text)))]  # fmt: skip


def _hours(statement: Statement) -> list[tuple[int, DateRef]]:
    out = []
    base = statement.sentence.start
    for d in statement.dates:
        if d.kind != "time" or not d.value or _AS_OF.search(statement.sentence.text[: d.start - base]):
            continue
        hour, _, minute = d.value[:5].partition(":")
        if hour.isdigit() and minute.isdigit():
            out.append((int(hour) * 60 + int(minute), d))
    return out


def _minutes_apart(x: tuple[int, DateRef], y: tuple[int, DateRef]) -> int:
    """Minutes between two hours of the day; across time zones when both name theirs ("02.28 WITA" is
    "01.28 WIB")."""
    zx, zy = (x[1].value or "")[5:], (y[1].value or "")[5:]
    gap = abs((x[0] - _offset_minutes(zx)) - (y[0] - _offset_minutes(zy))) if zx and zy else abs(x[0] - y[0])
    return min(gap % (24 * 60), 24 * 60 - gap % (24 * 60))


def _offset_minutes(zone: str) -> int:
    """Minutes east of UTC of "+07:00" (WIB); 0 for "Z" or no zone, so WIB, WITA and WIT compare as one clock."""
    match = re.match(r"([+-])(\d\d):(\d\d)", zone)
    if match is None:
        return 0
    sign = 1 if match.group(1) == "+" else -1
    return sign * (int(match.group(2)) * 60 + int(match.group(3)))


# Added to the same-fact probability of two statements giving one figure the same value ("killed 62" and "62
# orang meninggal"): the model sees words and vectors, not what a number measures. Set on the compare dev set
# (eval/devsets/compare): 0.2 found the most shared facts without losing unique ones.
FIGURE_BONUS = 0.1


def figure_evidence(prob: np.ndarray, items: Sequence[Statement], claims: Sequence[Claims]) -> np.ndarray:
    """The same-fact probabilities, raised for statements of different sources stating one figure alike."""
    out = prob.copy()
    values: dict[tuple[str, float], list[int]] = {}
    for k, c in enumerate(claims):
        for f in c.figures:
            if f.role == "value" and not f.key.startswith("~") and f.value is not None:
                values.setdefault((f.key, f.value), []).append(k)
    for ks in values.values():
        for a in ks:
            for b in ks:
                if a < b and items[a].source != items[b].source and out[a, b] > 0:
                    out[a, b] = out[b, a] = min(1.0, prob[a, b] + FIGURE_BONUS)
    return out
