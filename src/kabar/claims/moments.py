"""Figures about time in a sentence: durations anchored to a word ("18 bulan perang"), the hour an event
happened ("gempa terjadi pukul 19.57 WIB") and the weekday a source names for a date ("Rabu, 1 September 2022")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kabar.claims.claim import Item, make_claim
from kabar.claims.keys import clause_bounds
from kabar.lang import fold, root_of
from kabar.records import AnnotatedArticle, FigureClaim, Sentence

NAME = "figure-moments.v1"
_SENTENCING = frozenset({"penjara", "hukuman", "kurungan", "tahanan", "vonis", "tuntutan", "prison", "jail"})


def durations(doc: AnnotatedArticle, sentence: Sentence, lo: int, hi: int) -> Iterator[FigureClaim]:
    """Durations anchored to a word ("18 bulan perang" / "perang 18 bulan"): ``duration:<root>``, in seconds."""
    base = sentence.start
    for d in doc.dates:
        if d.kind != "duration" or not (
            sentence.start <= d.start < sentence.end and lo <= d.start - base < hi
        ):
            continue
        seconds = duration_seconds(d.value)
        if seconds is None:
            continue
        anchor = _duration_anchor(sentence.text, d.start - base, d.end - base)
        if anchor is None:
            continue
        if anchor in _SENTENCING:  # a sentence is one person's: "Johnny divonis 15 tahun penjara"
            lo_c, hi_c = clause_bounds(sentence.text, d.start - base, d.end - base)
            people = {m.entity for m in doc.mentions if m.type == "PER" and m.entity
                      and lo_c <= m.start - base < hi_c}  # fmt: skip
            anchor = f"{anchor}:{people.pop()}" if len(people) == 1 else f"~{anchor}"
        item = Item(d.start - base, d.end - base, seconds, seconds, seconds, "s", "duration", d.qualifier)
        key = f"~duration:{anchor[1:]}" if anchor.startswith("~") else f"duration:{anchor}"
        yield make_claim(doc, sentence, item.start, item.end, key, item)


_DURATION = re.compile(r"^PT?(\d+(?:\.\d+)?)([YMWDHS])$")
_SECONDS = {"Y": 31_557_600, "M": 2_629_800, "W": 604_800, "D": 86_400, "H": 3_600, "S": 1}
_NOT_ANCHORS = frozenset(
    [
        "yang",
        "dan",
        "dalam",
        "selama",
        "the",
        "of",
        "tidak",
        "tak",
        "bukan",
        "belum",
        "tanpa",
        "not",
        "no",
        "lalu",
        "terakhir",
    ]
)


def duration_seconds(value: str | None) -> float | None:
    match = _DURATION.match(value or "")
    if match is None or value is None:
        return None
    unit = match.group(2)
    if value.startswith("PT") and unit == "M":
        return float(match.group(1)) * 60
    return float(match.group(1)) * _SECONDS[unit]


def _duration_anchor(text: str, start: int, end: int) -> str | None:
    """The content word right after (or else right before) a duration: what it is the length of."""
    after = re.findall(r"[^\W_]+(?:-[^\W_]+)*", text[end:])[:1]
    before = re.findall(r"[^\W_]+(?:-[^\W_]+)*", text[:start])[-2:]
    for word in [*after, *reversed(before)]:
        low = fold(word)
        if low not in _NOT_ANCHORS and len(low) > 2:
            return root_of(low) or low
    return None


_HOUR_AS_OF = re.compile(r"\b(?:hingga|sampai|per|as of|until|data)\b[^,.;]{0,25}$", re.I)
_EVENT_VERBS = frozenset(
    ["jadi", "guncang", "jatuh", "hilang", "tiba", "angkat", "lepas", "tabrak", "bakar", "letus", "erupsi",
     "struck", "hit", "crashed", "lost", "took"]
)  # fmt: skip


def hours(doc: AnnotatedArticle, sentence: Sentence, lo: int, hi: int) -> Iterator[FigureClaim]:
    """The hour an event happened ("gempa terjadi pukul 19.57 WIB", "lepas landas pukul 14.36"): a figure
    ``time:<verb root>`` in minutes after midnight WIB ("02.28 WITA" is 01.28 WIB). An "as of" hour ("hingga
    pukul 21.00") says when something was counted and is left out."""
    base = sentence.start
    for d in doc.dates:
        if (
            d.kind != "time"
            or not d.value
            or not (base <= d.start < sentence.end and lo <= d.start - base < hi)
        ):
            continue
        if _HOUR_AS_OF.search(sentence.text[: d.start - base]):
            continue
        hour, _, minute = d.value[:5].partition(":")
        if not (hour.isdigit() and minute.isdigit()):
            continue
        clause_lo, _ = clause_bounds(sentence.text, d.start - base, d.end - base)
        verb = _event_verb(sentence.text[clause_lo : d.start - base])
        if verb is None:
            continue
        zone = d.value[5:]
        clock = int(hour)
        after = sentence.text[d.end - base :]
        if re.match(r"^\s*p\.?\s?m\b", after, re.I) and clock < 12:
            clock += 12  # "1:21 p.m."
        # Minutes after midnight Western Indonesian Time (an hour without a zone is taken to be WIB).
        minutes = float(clock * 60 + int(minute) - (_zone_minutes(zone) - _WIB_MINUTES if zone else 0))
        about = "~" if _ABOUT.search(sentence.text[: d.start - base]) or d.qualifier == "~" else None
        item = Item(d.start - base, d.end - base, minutes, minutes, minutes, "minutes WIB", "time", about)
        aftershock = ":aftershock" if re.search(r"susulan|aftershock", sentence.text, re.I) else ""
        yield make_claim(doc, sentence, item.start, item.end, f"time:{verb}{aftershock}", item)


_WIB_MINUTES = 7 * 60
_ABOUT = re.compile(r"\b(?:sekitar|sekira|kira-kira|about|around)\s+(?:pukul\s+|jam\s+)?$", re.I)


def _event_verb(text: str) -> str | None:
    for word in reversed(re.findall(r"[^\W\d_]+", text)):
        low = fold(word)
        root = root_of(low) or low
        if root in _EVENT_VERBS or low in _EVENT_VERBS:
            return root if root in _EVENT_VERBS else low
    return None


def _zone_minutes(zone: str) -> int:
    match = re.match(r"([+-])(\d\d):(\d\d)", zone)
    if match is None:
        return 0
    return (1 if match.group(1) == "+" else -1) * (int(match.group(2)) * 60 + int(match.group(3)))


_WEEKDAY_NAMES = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "minggu": 6,
                  "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
                  "sunday": 6}  # fmt: skip


def weekdays(doc: AnnotatedArticle, sentence: Sentence, lo: int, hi: int) -> Iterator[FigureClaim]:
    """The weekday a source gives a full date ("Rabu, 1 September 2022"): ``weekday:<date>``, so that two sources
    naming different days for one date ("Kamis (1/9/2022)") disagree."""
    base = sentence.start
    for d in doc.dates:
        if d.kind != "date" or not d.value or len(d.value) != 10 or not d.value[:1].isdigit():
            continue
        if not (base <= d.start < sentence.end and lo <= d.start - base < hi):
            continue
        first = fold(re.split(r"[\s,(]+", d.text.strip())[0])
        if first not in _WEEKDAY_NAMES or not re.search(r"\d{4}", d.text):
            continue
        day = float(_WEEKDAY_NAMES[first])
        item = Item(d.start - base, d.end - base, day, day, day, "weekday", "weekday", None)
        yield make_claim(doc, sentence, item.start, item.end, f"weekday:{d.value}", item)
