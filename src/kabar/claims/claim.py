"""A figure claim made from a number of a sentence: the number's position and value (``Item``), and the
claim with its attribution, time and the marks its sentence puts on it (corrected, updated, unverified)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kabar.claims.context import CORRECTION, HEDGE, UPDATE, attribution, figure_time
from kabar.claims.keys import CUMULATIVE
from kabar.records import AnnotatedArticle, FigureClaim, Sentence

NAME = "figure-record.v1"
_BECOMES = re.compile(r"\bmenjadi\s+(?:[^\W\d_]+\s+){0,2}$", re.I)
_MEASURED = frozenset({"magnitude", "depth", "distance"})


@dataclass(frozen=True, slots=True)
class Item:
    """A number or range of a sentence, before its key is known (offsets within the sentence)."""

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    kind: str
    qualifier: str | None
    of: str | None = None


def make_claim(
    doc: AnnotatedArticle,
    sentence: Sentence,
    start: int,
    end: int,
    key: str,
    item: Item,
    role: str = "value",
) -> FigureClaim:
    base = sentence.start
    who, entity = attribution(doc, sentence, base + start, base + end)
    time, origin, time_text = figure_time(doc, sentence, key.lstrip("~").split(":")[0] in CUMULATIVE)
    return FigureClaim(
        article=doc.article.id,
        sentence=sentence.id,
        start=base + start,
        end=base + end,
        span=(start, end),
        text=sentence.text[start:end],
        key=key,
        value=item.value,
        low=item.low,
        high=item.high,
        unit=item.unit,
        qualifier=item.qualifier,
        time=time,
        time_origin=origin,
        time_text=time_text,
        attribution=who,
        attribution_entity=entity,
        role=role,
        corrected=CORRECTION.search(sentence.text) is not None,
        updated=_updated(doc, sentence, start, key),
        hedged=HEDGE.search(sentence.text) is not None,
    )


def _updated(doc: AnnotatedArticle, sentence: Sentence, start: int, key: str) -> bool:
    """Whether a figure is given as an update: an update cue in its sentence or the one before, "menjadi" just
    before it, or, for an agency's measurement (magnitude, depth, distance), anywhere in its article."""
    if UPDATE.search(_with_previous(doc, sentence)) or _BECOMES.search(sentence.text[:start]):
        return True
    return key.split(":")[0] in _MEASURED and UPDATE.search(doc.article.text) is not None


def _with_previous(doc: AnnotatedArticle, sentence: Sentence) -> str:
    """The sentence, and the sentence before it in the same paragraph."""
    before = [s for s in doc.sentences if s.end <= sentence.start and s.paragraph == sentence.paragraph]
    return (before[-1].text + " " if before else "") + sentence.text
