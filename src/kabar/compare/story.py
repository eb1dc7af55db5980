"""Conflicts across a story from claims: disputed figures (one fact per figure key) and opposite statuses
("harga Premium naik" against "harga Premium batal naik")."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from kabar.claims.extract import NEGATIVE_STATUSES
from kabar.compare.align import Statement
from kabar.compare.facts import figure_conflict
from kabar.compare.figures import disputed_pairs, same_time
from kabar.lang import fold
from kabar.records import Claims, Conflict, ConflictValue, DateRef, Figure, FigureClaim

NAME = "story-conflicts.v2"


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
            if target and target[0] not in _NOT_EVENTS and (plain := _plain_word(y, target[0])):
                first = ConflictValue(x.article, x.ref.sentence, status.cue + " " + status.target)
                second = ConflictValue(y.article, y.ref.sentence, plain)
                pair = (first, second) if x is a else (second, first)
                return [Conflict("status", pair)]
    return []


_NOMINAL = re.compile(r"^(?:ke|pe|pem|pen|peng|peny|per)[a-z]+an$")


def _plain_word(statement: Statement, root: str) -> str | None:
    """The word stating a thing plainly ("naik", "menaikkan") with root ``root``: a verb, not the verb's noun
    ("kenaikan UKT" names the thing a statement is about; it does not say it happened)."""
    from kabar.compare.features import content_word

    if root not in statement.profile.words:
        return None
    for word in statement.text.split():
        word = word.strip('.,;:"“”()')
        low = fold(word)
        if content_word(word) == root and not (_NOMINAL.match(low) and low != root):
            return word
    return None


# Two hours of one event disagree when further apart than this: outlets four minutes apart ("pukul 14.40" /
# "sekira pukul 14.36") disagree in the compare dev set.
TIME_TOLERANCE_MINUTES = 2
_ANOTHER = re.compile(r"\b(?:susulan|kembali|aftershocks?|again)\b", re.I)
_AS_OF = re.compile(r"\b(?:hingga|sampai|per|as of|until)\b[^,.;]{0,25}$", re.I)


def same_event(a: Claims, b: Claims) -> bool:
    """Whether two statements report one event: a predicate in common."""
    return bool({e.predicate for e in a.events} & {e.predicate for e in b.events})


def time_conflicts(a: Statement, b: Statement) -> list[Conflict]:
    """One hour each for one event, further apart than ``TIME_TOLERANCE_MINUTES`` ("pukul 13.37 WIB" / "sekitar
    pukul 14.00 WIB"); an "as of" hour ("hingga pukul 21.00") says when something was counted, not when it
    happened."""
    ta, tb = _hours(a), _hours(b)
    if len(ta) != 1 or len(tb) != 1 or bool(_ANOTHER.search(a.text)) != bool(_ANOTHER.search(b.text)):
        return []  # an aftershock's hour ("gempa susulan … kembali mengguncang") is not the main shock's
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
            clock = twelve_hour(int(hour), statement.sentence.text[d.end - base :])
            out.append((clock * 60 + int(minute), d))
    return out


def twelve_hour(hour: int, after: str) -> int:
    """The hour on a 24-hour clock, given the text after it ("1:21 p.m." is 13)."""
    if re.match(r"^\s*p\.?\s?m\b\.?", after, re.I) and hour < 12:
        return hour + 12
    if re.match(r"^\s*a\.?\s?m\b\.?", after, re.I) and hour == 12:
        return 0
    return hour


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


_NOT_HAPPENED = frozenset({"cancelled", "postponed", "negated"})
# Roots that say what is known or possible, not what happened ("belum diketahui", "tidak bisa"), and copulas,
# which link a thing to its value rather than tell an event ("diundur jadi 2024", "menjadi Rp 10.000").
_NOT_EVENTS = frozenset(
    {"tahu", "pasti", "jelas", "kuasa", "dapat", "bisa", "boleh", "ada", "identifikasi", "ketahui", "jadi",
     "rupa", "adalah", "sebagai"}
)  # fmt: skip


def status_figures(
    items: Sequence[Statement],
    claims: Sequence[Claims],
    names: dict[str, str],
    published: dict[str, str | None],
    language: str,
) -> list[Figure]:
    """Whether a reported thing happened, as sources tell it: "Harga Pertalite belum naik" (one source) against
    "Pemerintah resmi menaikkan harga BBM" (another), keyed ``status:<root>`` ("status:naik"). A source states
    the thing plainly when a statement of it has the word's root, no status of its own, and another content word
    in common with the statement saying it did not happen. Told at different times, an ``update``; else a
    ``disagreement``. One figure per root."""
    negative: dict[str, list[tuple[int, FigureClaim]]] = {}
    for k, c in enumerate(claims):
        for status in c.statuses:
            root = status.target.split()[0] if status.target else ""
            if status.status in _NOT_HAPPENED and root and root not in _NOT_EVENTS:
                text = _cue_and_word(items[k], status.start)
                negative.setdefault(root, []).append(
                    (k, _status_value(items[k], status.start, text, published))
                )
    figures = []
    for root, denied in negative.items():
        said = [v for _, v in denied]
        sources = {items[k].source for k, _ in denied}
        rest = frozenset().union(*(items[k].profile.words for k, _ in denied)) - {root}
        for j, other in enumerate(items):
            if other.source in sources or claims[j].statuses or not (other.profile.words & rest):
                continue
            word = _plain_word(other, root)
            if word is None:
                continue
            at = other.sentence.start + max(0, other.sentence.text.find(word))
            said.append(_status_value(other, at, word, published))
            sources.add(other.source)
        if len({v.article for v in said}) < 2 or len(said) == len(denied):
            continue
        times = [v.time for v in said]
        moved = any(not same_time(a, b) for a in times for b in times)
        label = f"status {root}" if language == "id" else f"whether it {root}"
        ordered = tuple(sorted(said, key=lambda v: v.time or ""))
        figures.append(
            Figure(
                f"status:{root}",
                label,
                "update" if moved else "disagreement",
                ordered,
                tuple(names.get(v.article, v.article) for v in ordered),
            )
        )
    return figures


def _cue_and_word(statement: Statement, start: int) -> str:
    """The status cue at ``start`` and the word after it, as written ("belum naik")."""
    rest = statement.sentence.text[start - statement.sentence.start :]
    match = re.match(r"\S+\s+[^\W_]+(?:-[^\W_]+)*", rest)
    return match.group(0) if match else rest.split()[0]


def _status_value(
    statement: Statement, start: int, text: str, published: dict[str, str | None]
) -> FigureClaim:
    sentence = statement.sentence
    at = start - sentence.start
    length = len(text) if sentence.text[at : at + len(text)] == text else len(text.split()[0])
    return FigureClaim(
        article=statement.article,
        sentence=sentence.id,
        start=start,
        end=start + length,
        span=(at, at + length),
        text=sentence.text[at : at + length],
        key="status",
        value=None,
        low=None,
        high=None,
        time=published.get(statement.article),
        time_origin="published" if published.get(statement.article) else "none",
    )


def agreed_figures(items: Sequence[Statement], claims: Sequence[Claims]) -> list[list[int]]:
    """For each figure value two or more sources state alike ("jatuh ke jurang sedalam 20 meter" in one, a lead
    sentence saying so among other things in another): the first statement of each source stating it. A
    sentence may so belong to the fact it was aligned in and to the figure it shares."""
    first: dict[tuple[str, float], dict[int, int]] = {}
    for k, c in enumerate(claims):
        for f in c.figures:
            if f.role == "value" and not f.key.startswith(("~", "weekday:")) and f.value is not None:
                first.setdefault((f.key, f.value), {}).setdefault(items[k].source, k)
    seen: set[tuple[int, ...]] = set()
    out = []
    for by_source in first.values():
        ks = tuple(sorted(by_source.values()))
        if len(ks) > 1 and ks not in seen:
            seen.add(ks)
            out.append(list(ks))
    return out


def lone_figures(items: Sequence[Statement], claims: Sequence[Claims]) -> list[int]:
    """Statements giving a figure no other source gives at all ("ada 44 orang yang mengalami luka-luka" where
    the others only count the dead): each is also a ``unique`` fact, whatever fact its sentence was aligned in."""
    sources: dict[str, set[int]] = {}
    for k, c in enumerate(claims):
        for f in c.figures:
            if not f.key.startswith(("~", "weekday:")):
                sources.setdefault(f.key.split("@")[0], set()).add(items[k].source)
    out = []
    for k, c in enumerate(claims):
        if any(
            f.role in {"value", "part"}
            and not f.key.startswith(("~", "weekday:"))
            and len(sources[f.key.split("@")[0]]) == 1
            for f in c.figures
        ):
            out.append(k)
    return out
