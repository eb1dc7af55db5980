"""Conflicts between two statements of different sources, each with a kind a reader can check:

- ``number``: the same counted thing or the same duration with incompatible values ("8 bulan" vs "18 bulan";
  "lebih dari 18" is compatible with 24 and with 18);
- ``date``: resolved dates that cannot both hold (2023-09-13 vs 2023-09-14; 2023-09 and 2023-09-13 agree);
- ``place``: different places in the same role (both after "di"/"in", or both of the same kind of place,
  "Kosmodrom Vostochny" vs "Kosmodrom Baikonur"), neither mentioned by the other statement;
- ``speaker``: the same words attributed to different people;
- ``quote``: one speaker's words differing in meaning (one negated; a changed number is a ``number`` conflict);
- ``negation``: one source reports a denial where the other reports an admission, or negates what the other
  affirms.

Wording that keeps the meaning (translation variants, reordering, synonyms) is never a conflict: every check
compares extracted values, not words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from kabar.compare.align import Statement
from kabar.compare.features import NEGATIONS, content_word, jaccard, profile
from kabar.lang import WORD, fold
from kabar.records import Conflict, ConflictValue, DateRef

NAME = "conflicts.v1"
# Two quotes are "the same words" when the shorter's content words are mostly in the longer (at least this
# share, and two words): a translation variant ("Itulah mengapa kami datang ke sini" / "itulah sebabnya kami
# datang ke sini. Pemimpin DPRK ...") shares 3 of 4; different quotes of one story share one word or none.
QUOTE_OVERLAP = 0.5
# Exact figures in news are rounded: values within this relative distance agree.
NUMBER_TOLERANCE = 0.05
_PLACE_PREPOSITIONS = frozenset({"di", "ke", "in", "at", "dari"})


def find_conflicts(a: Statement, b: Statement, same_fact: bool) -> list[Conflict]:
    """Conflicts between two statements. Without ``same_fact`` only numbers, dates and places anchored to the
    same thing are compared (the statements are related, not the same)."""
    found: list[Conflict] = []
    found.extend(_number_conflicts(a, b, same_fact))
    found.extend(_date_conflicts(a, b, same_fact))
    found.extend(_place_conflicts(a, b, same_fact))
    if same_fact:
        found.extend(_quote_conflicts(a, b))
        found.extend(_negation_conflicts(a, b))
    return found


def _value(statement: Statement, text: str) -> ConflictValue:
    return ConflictValue(statement.article, statement.ref.sentence, text)


# --- numbers ---------------------------------------------------------------------------------------------


def _interval(value: float, qualifier: str | None) -> tuple[float, float]:
    low, high = value * (1 - NUMBER_TOLERANCE), value * (1 + NUMBER_TOLERANCE)
    if qualifier in {">", ">="}:
        return low, math.inf
    if qualifier in {"<", "<=", "<~"}:
        return -math.inf, high
    if qualifier in {"~"}:
        return value * 0.8, value * 1.2
    if qualifier in {"tens", "teens", "hundreds", "thousands", "millions", "billions", "dozens", "several"}:
        return value, value * 10
    return low, high


def _compatible(x: tuple[float, float], y: tuple[float, float]) -> bool:
    return x[0] <= y[1] and y[0] <= x[1]


_DURATION = re.compile(r"^PT?(\d+(?:\.\d+)?)([YMWDHS])$")
_DURATION_SECONDS = {"Y": 31_557_600, "M": 2_629_800, "W": 604_800, "D": 86_400, "H": 3_600, "S": 1}


def _duration_seconds(value: str | None) -> float | None:
    if not value:
        return None
    match = _DURATION.match(value)
    if match is None:
        return None
    unit = match.group(2)
    if value.startswith("PT") and unit == "M":
        return float(match.group(1)) * 60
    return float(match.group(1)) * _DURATION_SECONDS[unit]


def _anchor(statement: Statement, start: int, end: int) -> str | None:
    """The content word right after (or else right before) a span: what a duration or count is about."""
    text, base = statement.sentence.text, statement.sentence.start
    after = WORD.findall(text[end - base :])[:2]
    before = WORD.findall(text[: start - base])[-2:]
    for word in [*after[:1], *reversed(before)]:
        low = fold(word)
        if (
            low not in NEGATIONS
            and len(low) > 2
            and low not in {"yang", "dan", "dalam", "selama", "the", "of"}
        ):
            return content_word(low)
    return None


def _measures(statement: Statement) -> Iterator[tuple[str, tuple[float, float], str]]:
    """(frame, interval, text) for each number of a statement; the frame says what is measured."""
    for q in statement.quantities:
        if q.value is None:
            continue
        unit = content_word(q.unit.split()[0]) if q.unit and q.kind == "count" else (q.unit or q.kind)
        frame = f"{q.kind}:{q.of or unit}"
        yield frame, _interval(q.value, q.qualifier), q.text
    for d in statement.dates:
        seconds = _duration_seconds(d.value) if d.kind == "duration" else None
        if seconds is None:
            continue
        anchor = _anchor(statement, d.start, d.end)
        yield f"duration:{anchor}", _interval(seconds, d.qualifier), d.text


def _number_conflicts(a: Statement, b: Statement, same_fact: bool) -> Iterator[Conflict]:
    ma, mb = list(_measures(a)), list(_measures(b))
    reported: set[str] = set()
    for frame_a, range_a, text_a in ma:
        for frame_b, range_b, text_b in mb:
            if frame_a != frame_b or frame_a in reported or frame_a.endswith(":None"):
                continue
            if not _compatible(range_a, range_b):
                reported.add(frame_a)
                yield Conflict("number", (_value(a, text_a), _value(b, text_b)))
            else:
                reported.add(frame_a)  # one agreeing pair settles this frame


# --- dates -----------------------------------------------------------------------------------------------


def _resolved(dates: tuple[DateRef, ...]) -> list[DateRef]:
    """Dates that place an event: resolved, and not the start or end of a span ("sejak awal 2022")."""
    return [
        d
        for d in dates
        if d.kind in {"date", "period"} and d.value and d.value[:1].isdigit() and d.qualifier is None
    ]


def _dates_agree(x: str, y: str) -> bool:
    return x.startswith(y) or y.startswith(x)


def _date_conflicts(a: Statement, b: Statement, same_fact: bool) -> Iterator[Conflict]:
    da, db = _resolved(a.dates), _resolved(b.dates)
    # Only dates of the same precision can contradict (a day against a day, a month against a month).
    da = [d for d in da if any(len(d.value or "") == len(e.value or "") for e in db)]
    db = [e for e in db if any(len(d.value or "") == len(e.value or "") for d in da)]
    if not da or not db:
        return
    # Related statements are compared only when each states one date of the same granularity.
    if not same_fact and not (len(da) == len(db) == 1 and len(da[0].value or "") == len(db[0].value or "")):
        return
    if any(_dates_agree(x.value or "", y.value or "") for x in da for y in db):
        return
    if same_fact or a.profile.entities & b.profile.entities:
        yield Conflict("date", (_value(a, da[0].text), _value(b, db[0].text)))


# --- places ----------------------------------------------------------------------------------------------


def _places(statement: Statement) -> list[tuple[str, str, str]]:
    """(entity, frame, text) of places in a place role: after a place preposition, or named with a place head."""
    out = []
    text, base = statement.sentence.text, statement.sentence.start
    for m in statement.mentions:
        if m.type != "LOC" or m.entity is None:
            continue
        before = WORD.findall(text[: m.start - base])[-1:]
        head = fold(m.text.split()[0]) if " " in m.text else ""
        tail = fold(m.text.split()[-1]) if " " in m.text else ""
        if before and fold(before[0]) in _PLACE_PREPOSITIONS:
            out.append((m.entity, "at", m.text))
        for word in (head, tail):
            if word in _PLACE_HEADS:
                out.append((m.entity, _PLACE_HEADS[word], m.text))
    return out


_PLACE_HEADS = {
    "kosmodrom": "cosmodrome", "cosmodrome": "cosmodrome", "bandara": "airport", "airport": "airport",
    "pelabuhan": "port", "port": "port", "stadion": "stadium", "stadium": "stadium", "istana": "palace",
    "palace": "palace", "gedung": "building", "hotel": "hotel", "pulau": "island", "island": "island",
    "kota": "city", "city": "city", "provinsi": "province", "province": "province",
}  # fmt: skip


def _place_conflicts(a: Statement, b: Statement, same_fact: bool) -> Iterator[Conflict]:
    pa, pb = _places(a), _places(b)
    if not pa or not pb:
        return
    ents_a = {m.entity for m in a.mentions}
    ents_b = {m.entity for m in b.mentions}
    for entity_a, frame_a, text_a in pa:
        for entity_b, frame_b, text_b in pb:
            if frame_a != frame_b or entity_a == entity_b:
                continue
            if entity_a in ents_b or entity_b in ents_a:
                continue  # both places are named by one statement: not a disagreement
            if frame_a == "at" and not same_fact:
                continue  # "di X" in merely related statements is too loose
            yield Conflict("place", (_value(a, text_a), _value(b, text_b)))
            return


# --- quotes, speakers, negation --------------------------------------------------------------------------


def _quote_conflicts(a: Statement, b: Statement) -> Iterator[Conflict]:
    for qa in a.quotes:
        for qb in b.quotes:
            pa, pb = profile(qa.content), profile(qb.content)
            shared = len(pa.words & pb.words)
            if shared < 2 or shared / max(1, min(len(pa.words), len(pb.words))) < QUOTE_OVERLAP:
                continue
            if qa.speaker_entity and qb.speaker_entity and qa.speaker_entity != qb.speaker_entity:
                yield Conflict(
                    "speaker", (_value(a, qa.speaker_text or ""), _value(b, qb.speaker_text or ""))
                )
            elif pa.negated != pb.negated:
                yield Conflict("quote", (_value(a, qa.content), _value(b, qb.content)))


def _negation_conflicts(a: Statement, b: Statement) -> Iterator[Conflict]:
    pa, pb = a.profile, b.profile
    if (pa.denial and pb.admission and not pa.admission) or (pa.admission and pb.denial and not pb.admission):
        yield Conflict("negation", (_value(a, _cue(a)), _value(b, _cue(b))))
        return
    if pa.negated != pb.negated and jaccard(pa.words, pb.words) >= 0.5 and not (a.quotes or b.quotes):
        yield Conflict("negation", (_value(a, _negation_text(a)), _value(b, _negation_text(b))))


def _cue(statement: Statement) -> str:
    from kabar.compare.features import ADMISSION, DENIAL

    for word in WORD.findall(statement.sentence.text):
        if fold(word) in DENIAL | ADMISSION:
            return str(word)
    return statement.sentence.text


def _negation_text(statement: Statement) -> str:
    words = WORD.findall(statement.sentence.text)
    for k, word in enumerate(words):
        if fold(word) in NEGATIONS:
            return " ".join(words[k : k + 3])
    return statement.sentence.text


def story_place_conflicts(items: list[Statement]) -> Iterator[tuple[int, int, Conflict]]:
    """Places of one kind that sources name differently across the story ("Kosmodrom Vostochny" in one,
    "Kosmodrom Baikonur" in another), in statements that share a participant: (statement, statement, conflict).

    A source that names both places, or a place the other source also names, is no disagreement."""
    named: dict[int, set[str]] = {}
    for item in items:
        named.setdefault(item.source, set()).update(m.entity for m in item.mentions if m.entity)
    first: dict[tuple[int, str, str], int] = {}  # (source, frame, entity) -> first statement naming it
    # A source's prose speaks for it before its photo captions (which name every place of the picture).
    for k, item in sorted(enumerate(items), key=lambda x: (x[1].sentence.boilerplate is not None, x[0])):
        for entity, frame, _ in _places(item):
            if frame != "at":
                first.setdefault((item.source, frame, entity), k)
    reported: set[tuple[str, int, int]] = set()
    for (source_a, frame, entity_a), i in first.items():
        for (source_b, frame_b, entity_b), j in first.items():
            if source_b <= source_a or frame_b != frame or entity_a == entity_b:
                continue
            if entity_a in named[source_b] or entity_b in named[source_a]:
                continue
            a, b = items[i], items[j]
            if not ({m.entity for m in a.mentions} & {m.entity for m in b.mentions}):
                continue
            if (frame, source_a, source_b) in reported:
                continue
            reported.add((frame, source_a, source_b))
            text_a = next(t for e, f, t in _places(a) if e == entity_a and f == frame)
            text_b = next(t for e, f, t in _places(b) if e == entity_b and f == frame)
            yield i, j, Conflict("place", (_value(a, text_a), _value(b, text_b)))
