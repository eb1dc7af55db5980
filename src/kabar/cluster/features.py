"""What the event clustering knows of one article: the event representation.

- ``text``: title and lead (first sentences), what is embedded as the dense vector;
- ``entities``: the entity keys of the opening (gazetteer group, a person's surname, else the folded name), with
  their type and mention count: participants and places;
- ``terms``: word 1- and 2-gram counts of the **whole** article, and its words written with a capital again as
  name terms, weighed by the engine with an IDF it keeps up to date as articles arrive (so the engine stays
  online);
- ``day``: the article's own time: its publication date, else the latest full date it states ("Senin
  (21/11/2022)", "21 November 2022"), else none (and then no time window applies to it).

The opening is read with the shared annotation stages (cleaner, sentence splitter, the rule entity extractor)
run on its first ``OPENING_CHARS`` characters, so a long article costs no more than a short one there; the
terms come from one pass of a word pattern over the full text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import compress
from typing import Any

from kabar.cluster.sparse import count_terms
from kabar.config import Config
from kabar.lang import WORD, fold, gazetteer, name_key, stopwords
from kabar.pipeline import run_stages
from kabar.records import AnnotatedArticle, Article

NAME = "cluster.features.v2.3"
# Title and lead, cut to LEAD_CHARS characters, are embedded; entities come from the opening. Measured on ECB+
# (BCubed F1) and the corpus benchmark: 700 characters 85.7 at 107 articles/s; 400: 85.6 at 128/s; 300: 85.5 at
# 152/s, but at 300 the example stories (tests/data) split: an Indonesian pair and an English/Indonesian pair
# each need about 500.
LEAD_SENTENCES = 3
LEAD_CHARS = 500
OPENING_CHARS = 1500
# Terms are read from at most this many characters (a 20,000-character article is rare; its tail adds little).
TERM_CHARS = 20_000
# The opening is read by the shared clean, sentence and entity stages; the rule extractor (no model) keeps the
# representation cheap and the same on every machine.
RULES = Config(ner="rules")


@dataclass(frozen=True, slots=True)
class Representation:
    text: str
    """Title and lead: what is embedded."""
    entities: tuple[tuple[str, str, int], ...]
    """(key, type, mentions) of the opening's entities, most mentioned first."""
    terms: tuple[tuple[int, int], ...] = ()
    """(term bucket, count) of the whole article's words and word pairs, stop words left out
    (``kabar.cluster.sparse``)."""
    day: str | None = None
    """The article's own time (ISO date): publication date, else the latest full date it states, else None."""

    def keys(self) -> list[str]:
        return [k for k, _, _ in self.entities]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "entities": [list(e) for e in self.entities],
                "terms": [list(t) for t in self.terms], "day": self.day}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Representation:
        return cls(
            text=str(data.get("text", "")),
            entities=tuple((str(k), str(t), int(n)) for k, t, n in data.get("entities", ())),
            terms=tuple((int(t), int(n)) for t, n in data.get("terms", ())),
            day=data.get("day"),
        )


def represent(article: Article) -> Representation:
    """The event representation of one article."""
    opening = replace(article, text=article.text[:OPENING_CHARS], language=article.language or "und")
    doc = run_stages(AnnotatedArticle(article=opening), ("boilerplate", "sentences"), RULES)
    lead = tuple(s for s in doc.sentences if not s.boilerplate and not s.is_title)[:LEAD_SENTENCES]
    parts = [article.title] if article.title else []
    parts += [s.text for s in lead]
    text = " ".join(parts)[:LEAD_CHARS] or article.text[:LEAD_CHARS]
    # Entities of the lead only: taken from the whole opening they scored 2 points lower on ECB+ dev topics, and
    # cost three times as much.
    in_lead = run_stages(replace(doc, sentences=lead), ("mentions",), RULES).mentions if lead else ()
    counts: Counter[tuple[str, str]] = Counter(entity_key(m.text, m.type) for m in in_lead)
    entities = tuple((k, t, n) for (k, t), n in counts.most_common())
    return Representation(text, entities, article_terms(article), own_time(article))


def from_stored(article: Article, entities: Iterable[tuple[str, str, int]]) -> Representation:
    """The representation of a stored article whose entities were stored with it, without re-reading its
    opening (no text to embed: its vector is stored too)."""
    ordered = tuple(sorted(entities, key=lambda e: (-e[2], e[0], e[1])))
    return Representation("", ordered, article_terms(article), own_time(article))


def own_time(article: Article) -> str | None:
    """The article's publication date, else the latest full date it states (the shared reference stage)."""
    return run_stages(AnnotatedArticle(article=article), ("reference_date",), RULES).reference_date


def article_terms(article: Article) -> tuple[tuple[int, int], ...]:
    body = f"{article.title}\n{article.text}" if article.title else article.text
    return terms(body[:TERM_CHARS])


_fold_text = fold.__wrapped__  # the same folding as for a name, uncached: each text is folded once


def terms(text: str) -> tuple[tuple[int, int], ...]:
    """Hashed word, word-pair and name counts of a text: case-folded, stop words out; pairs of neighbouring kept
    words; the kept words written with a capital again as name terms (``kabar.cluster.sparse.NAME_REPEAT``)."""
    stop = stopwords()
    written = WORD.findall(text)
    folded = WORD.findall(_fold_text(text))
    if len(folded) != len(written):  # folding split or joined a word (rare): fold word by word
        folded = [_fold_text(w) for w in written]
    keep = [len(f) > 1 and f not in stop for f in folded]
    names = [f for w, f, k in zip(written, folded, keep, strict=True) if k and w[0].isupper()]
    kept = list(compress(folded, keep))
    return count_terms(kept, names)


def entity_key(text: str, type_: str) -> tuple[str, str]:
    """A name's key across articles: its gazetteer group, a person's surname, else the folded name."""
    entry = gazetteer().get(name_key(text))
    if entry is not None:
        return fold(entry.group), entry.type
    words = text.split()
    if type_ in {"PER", "UNK"} and len(words) > 1:
        return fold(words[-1]), "PER"
    return fold(text), type_
