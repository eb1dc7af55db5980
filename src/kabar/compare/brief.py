"""A consolidated, extractive brief: each sentence is a source sentence or a clause of one (or, for a conflict,
the source sentences side by side), so it says nothing its citations do not say.

Facts are ranked by corroboration (distinct sources), centrality (similarity to the rest of the story) and
position (news puts what matters first); conflicts always make the brief. A fact too similar to one already
chosen is skipped, so nothing is said twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kabar.compare.align import Statement
from kabar.compare.clauses import CONNECTIVES
from kabar.compare.features import jaccard
from kabar.records import BriefSentence, Fact, SentenceRef

NAME = "brief.v1"
MAX_SENTENCES = 10
# Two brief candidates repeat each other above this cosine or content-word overlap.
REDUNDANT_COSINE = 0.85
REDUNDANT_OVERLAP = 0.6

_CONFLICT_WORDS = {
    "id": {"number": "angka", "date": "tanggal", "place": "tempat", "speaker": "pembicara", "quote": "kutipan",
           "negation": "penyangkalan"},
    "en": {"number": "number", "date": "date", "place": "place", "speaker": "speaker", "quote": "quote",
           "negation": "denial"},
}  # fmt: skip


def fact_scores(facts: Sequence[Fact], items: Sequence[Statement], vectors: np.ndarray) -> list[float]:
    index = {s.ref: k for k, s in enumerate(items)}
    centrality = (vectors @ vectors.T).mean(axis=1) if len(items) else np.zeros(0)
    sources = len({s.source for s in items}) or 1
    scores = []
    for fact in facts:
        members = [index[m] for m in fact.members if m in index]
        corroboration = len({items[k].source for k in members}) / sources
        central = float(np.mean([centrality[k] for k in members])) if members else 0.0
        early = 1.0 - min(items[k].position for k in members) if members else 0.0
        conflict = 1.0 if fact.status == "conflict" else 0.0
        scores.append(2.0 * corroboration + 1.0 * central + 0.7 * early + 3.0 * conflict)
    return scores


def write_brief(
    facts: Sequence[Fact],
    items: Sequence[Statement],
    vectors: np.ndarray,
    names: dict[str, str],
    language: str,
    length: int | None = None,
) -> list[BriefSentence]:
    """Choose and render brief sentences, most important first."""
    if not facts:
        return []
    index = _index(items)
    limit = length if length is not None else min(MAX_SENTENCES, max(1, round(len(facts) / 3)))
    chosen: list[int] = []
    brief: list[BriefSentence] = []
    for fact in sorted(facts, key=lambda f: -f.score):
        if len(brief) >= limit:
            break
        members = [index[m] for m in fact.members if m in index]
        if not members:
            continue
        rep = _representative(members, items, vectors)
        if fact.status != "conflict" and any(
            _redundant(rep, k, items, vectors) or items[rep].sentence.id == items[k].sentence.id
            for k in chosen
        ):
            continue
        chosen.append(rep)
        if fact.status == "conflict":
            brief.append(_conflict_sentence(fact, items, index, names, language))
        else:
            brief.append(BriefSentence(_text(items[rep]), tuple(fact.members), fact.id))
    return brief


def _text(statement: Statement) -> str:
    """A statement as a brief sentence: the sentence; a clause without its opening conjunction, capitalised."""
    if statement.ref.span is None:
        return statement.sentence.text
    words = statement.text.split()
    if len(words) > 1 and words[0].casefold() in CONNECTIVES:
        words = words[1:]
    text = " ".join(words).rstrip(" ,;:")
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "”", '"')) else text + "."


def _index(items: Sequence[Statement]) -> dict[SentenceRef, int]:
    """Statement of each reference; a clause is also found by its sentence's reference."""
    index = {s.ref: k for k, s in enumerate(items)}
    for k, s in enumerate(items):
        index.setdefault(SentenceRef(s.ref.article, s.ref.sentence), k)
    return index


def _representative(members: list[int], items: Sequence[Statement], vectors: np.ndarray) -> int:
    """The member that reads best for the whole fact: a whole sentence over a clause, then the most central."""
    whole = [k for k in members if items[k].ref.span is None]
    members = whole or members
    if len(members) == 1:
        return members[0]
    sims = vectors[members] @ vectors[members].T
    central = sims.mean(axis=1)
    return members[int(np.argmax(central - 0.01 * np.array([items[k].position for k in members])))]


def _redundant(a: int, b: int, items: Sequence[Statement], vectors: np.ndarray) -> bool:
    if float(vectors[a] @ vectors[b]) >= REDUNDANT_COSINE:
        return True
    return jaccard(items[a].profile.words, items[b].profile.words) >= REDUNDANT_OVERLAP


def _conflict_sentence(
    fact: Fact,
    items: Sequence[Statement],
    index: dict[SentenceRef, int],
    names: dict[str, str],
    language: str,
) -> BriefSentence:
    words = _CONFLICT_WORDS.get(language, _CONFLICT_WORDS["en"])
    conflict = fact.conflicts[0]
    parts = []
    cited = []
    for value in conflict.values[:3]:
        ref = SentenceRef(value.article, value.sentence)
        sentence = items[index[ref]].sentence.text if ref in index else value.text
        source = names.get(value.article, value.article)
        parts.append(f"menurut {source}, “{sentence}”" if language == "id" else f"{source} says “{sentence}”")
        cited.append(ref)
    kind = words.get(conflict.kind, conflict.kind)
    lead = f"Sumber berbeda soal {kind}: " if language == "id" else f"Sources disagree on the {kind}: "
    return BriefSentence(lead + "; ".join(parts) + ".", tuple(cited), fact.id)
