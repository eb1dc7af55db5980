"""The brief's faithfulness check: every number, date and name in a brief sentence is stated by every source it
cites. Numbers are compared as values (Indonesian "1.200" and English "1,200" are one number; "dua" is 2),
dates through their numbers and day and month names, names as capitalised words (an article in another
language states a name when it names the same linked entity).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kabar.lang import fold

NAME = "faithful.v1"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][\w'’-]*")
_WORDS = {"satu": 1.0, "dua": 2.0, "tiga": 3.0, "empat": 4.0, "lima": 5.0, "enam": 6.0, "tujuh": 7.0,
          "delapan": 8.0, "sembilan": 9.0, "sepuluh": 10.0, "sebelas": 11.0, "seorang": 1.0, "one": 1.0,
          "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0, "seven": 7.0, "eight": 8.0,
          "nine": 9.0, "ten": 10.0}  # fmt: skip
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(_WORDS) + r")\b", re.I)


def number_readings(raw: str) -> set[float]:
    """The values a numeral may stand for: "1.200" is 1200 (Indonesian) or 1.2; "6,4" is 6.4 or 64."""
    out: set[float] = set()
    for text in (raw.replace(".", "").replace(",", "."), raw.replace(",", "")):
        try:
            out.add(float(text))
        except ValueError:
            continue
    if raw.count(".") == 1 and "," not in raw:  # "19.57", a time, or "5.6"
        out.add(float(raw))
    return out


def numbers(text: str) -> list[set[float]]:
    """The numbers of a text, each as the set of values it may stand for."""
    found = [number_readings(raw) for raw in _NUMBER.findall(text)]
    found += [{_WORDS[w]} for w in {fold(w) for w in _NUMBER_WORD.findall(text)}]
    return [f for f in found if f]


def names(text: str, skip: Iterable[str] = ()) -> set[str]:
    """Capitalised words that do not open a sentence, minus the words of ``skip`` (outlets' names)."""
    skipped = {fold(w) for s in skip for w in _NAME.findall(s or "")}
    out = set()
    for match in _NAME.finditer(text):
        before = text[: match.start()].rstrip(" \"“‘'(")
        if not before or before[-1] in ".!?:\n":
            continue
        word = fold(match.group().strip("'’-"))
        if word and word not in skipped:
            out.add(word)
    return out


def unsupported(part: str, cited: str, skip: Iterable[str] = (), same_names: Iterable[str] = ()) -> list[str]:
    """The numbers and names of ``part`` that ``cited`` does not state (``same_names``: names the cited text
    states in another form, as one linked entity)."""
    have = set().union(*numbers(cited)) if numbers(cited) else set()
    missing = [
        "/".join(sorted(str(v) for v in readings)) for readings in numbers(part) if not readings & have
    ]
    lower = fold(cited)
    allowed = {fold(n) for n in same_names}
    missing += [n for n in sorted(names(part, skip)) if n not in lower and n not in allowed]
    return missing
