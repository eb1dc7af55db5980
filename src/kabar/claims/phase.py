"""Which part of a story a figure is about: the story itself, an aftershock, a second incident, or an earlier
moment told again ("Sebelumnya, 41 orang …", "kemarin").

A figure about an aftershock or a second incident measures another thing than the same key of the main event
("gempa susulan melukai dua orang" is not the quake's injured count), so such figures are keyed apart. A figure
told as an earlier state ("sebelumnya", "semula", "data awal") is an old value: it may be updated by a later
figure but never disputes a current one.
"""

from __future__ import annotations

import re

from kabar.claims.keys import clause_bounds
from kabar.lang import cue_pattern

NAME = "figure-phase.v1"
# Nouns naming an incident; "<noun> kedua" is the second of them ("kedua" before a noun means "both").
_INCIDENT = (
    r"gempa|kecelakaan|kejadian|insiden|ledakan|erupsi|letusan|kebakaran|tabrakan|banjir|longsor|peristiwa|"
    r"serangan|guncangan|quake|earthquake|accident|incident|explosion|eruption|fire|crash|collision|flood|"
    r"landslide|attack|blast"
)
_SECOND = re.compile(
    rf"\b(?:(?:{_INCIDENT})\s+(?:yang\s+)?(?:kedua|ketiga|berikutnya|lanjutan)|"
    rf"(?:second|third|another|later)\s+(?:{_INCIDENT}))\b",
    re.I,
)
_AFTERSHOCK = re.compile(r"\b(?:susulan|aftershocks?)\b", re.I)
# Markers of an earlier state, in the figure's clause or opening its sentence.
_EARLIER = re.compile(
    r"\b(?:sebelumnya|semula|awalnya|sempat|kemarin|previously|earlier|initially|yesterday|"
    r"data awal|laporan awal|data sebelumnya)\b",
    re.I,
)
# A source's old count opening the sentence: "Ditjen PAS sebelumnya mencatat …", "BNPB semula melaporkan …".
_TOLD_EARLIER = re.compile(
    rf"^\W*(?:[A-Z][\w'’-]*\s+){{1,5}}(?:sebelumnya|semula|previously|earlier|initially)\s+"
    rf"(?:{cue_pattern('reporting')})\b"
)
# Words that end a list of old values told again and give the current one ("…, sehingga kini menjadi 44").
_NOW = re.compile(
    r"\b(?:sehingga|kini|sekarang|menjadi|namun|tetapi|terbaru|bertambah|now|but|however|latest|rose)\b", re.I
)
_OPENING_EARLIER = re.compile(
    r"^\W*(?:sebelumnya|semula|awalnya|kemarin|previously|earlier|initially)\b", re.I
)


def phase(text: str, start: int, end: int, key: str) -> str | None:
    """The phase of the figure at ``start``-``end`` of the sentence ``text`` with key ``key``."""
    lo, hi = clause_bounds(text, start, end)
    clause = text[lo:hi]
    if _AFTERSHOCK.search(clause) and not key.startswith(("aftershocks", "magnitude:aftershock")):
        return "aftershock"
    if _SECOND.search(clause):
        return "second"
    if _EARLIER.search(clause) or _OPENING_EARLIER.match(text):
        return "earlier"
    told = _TOLD_EARLIER.match(text)
    if told is not None and told.end() <= start and not _NOW.search(text, told.end(), start):
        return "earlier"  # "Ditjen PAS sebelumnya mencatat 41 orang tewas, delapan luka berat dan 73 luka ringan"
    return None
