"""Statements, duplicate sources, and the alignment of statements across articles into facts.

A statement is a non-boilerplate, non-title sentence. Two statements of different sources are scored by the
calibrated same-fact model over their USE cosine, content-word overlap and linked-entity overlap; within each
pair of sources, matches are made one to one, best first, above the calibrated threshold. Facts are the
connected groups of matched statements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from kabar.compare.features import Profile, align_features, profile
from kabar.compare.model import CompareModels
from kabar.embed import Embedder
from kabar.records import (
    AnnotatedArticle,
    DateRef,
    Duplicate,
    Mention,
    Quantity,
    Quote,
    Sentence,
    SentenceRef,
)

NAME = "align.v1"
# Articles whose word 5-gram sets overlap this much are the same source text (syndication, re-posts).
DUPLICATE_JACCARD = 0.8
MIN_WORDS = 4
# Cosine at which two statements read as translations of each other (WReTE paraphrases average 0.92).
TRANSLATION_COSINE = 0.8
# Probability kept by a pair that shares no content word and no informative entity.
NO_EVIDENCE_FACTOR = 0.5
# Entities named by more than this share of a story's statements are left out of the entity overlap.
COMMON_ENTITY_SHARE = 0.25
COMMON_ENTITY_MIN = 4


@dataclass(frozen=True, slots=True)
class Statement:
    ref: SentenceRef
    sentence: Sentence
    source: int
    """Index of the source group (duplicates share their original's group)."""
    position: float
    """0.0 for an article's first statement, 1.0 for its last."""
    profile: Profile
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
    quantities: tuple[Quantity, ...]
    dates: tuple[DateRef, ...]

    @property
    def article(self) -> str:
        return self.ref.article


def find_duplicates(docs: Sequence[AnnotatedArticle]) -> list[Duplicate]:
    """Articles that repeat an earlier article's text (word 5-gram Jaccard at or above DUPLICATE_JACCARD)."""
    shingles = [_shingles(doc) for doc in docs]
    found: list[Duplicate] = []
    original: dict[int, int] = {}
    for j in range(len(docs)):
        for i in range(j):
            if i in original or not shingles[i] or not shingles[j]:
                continue
            sim = len(shingles[i] & shingles[j]) / len(shingles[i] | shingles[j])
            if sim >= DUPLICATE_JACCARD:
                original[j] = i
                found.append(Duplicate(docs[j].article.id, docs[i].article.id, round(sim, 3)))
                break
    return found


def _shingles(doc: AnnotatedArticle) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", " ".join(s.text for s in doc.sentences if not s.boilerplate).lower())
    return {tuple(words[k : k + 5]) for k in range(max(0, len(words) - 4))}


def statements(docs: Sequence[AnnotatedArticle], duplicates: Sequence[Duplicate]) -> list[Statement]:
    """The statements of every article that is not a duplicate, in article order."""
    dup_ids = {d.article for d in duplicates}
    out: list[Statement] = []
    source = 0
    for doc in docs:
        if doc.article.id in dup_ids:
            continue
        content = [
            s
            for s in doc.sentences
            if not s.boilerplate and not s.is_title and len(s.text.split()) >= MIN_WORDS
        ]
        for k, sentence in enumerate(content):
            inside = [m for m in doc.mentions if sentence.start <= m.start < sentence.end]
            entities = frozenset(m.entity for m in inside if m.entity)
            out.append(
                Statement(
                    ref=SentenceRef(doc.article.id, sentence.id),
                    sentence=sentence,
                    source=source,
                    position=k / max(1, len(content) - 1),
                    profile=profile(sentence.text, entities),
                    mentions=tuple(inside),
                    quotes=tuple(q for q in doc.quotes if sentence.start <= q.content_start < sentence.end),
                    quantities=tuple(q for q in doc.quantities if sentence.start <= q.start < sentence.end),
                    dates=tuple(d for d in doc.dates if sentence.start <= d.start < sentence.end),
                )
            )
        source += 1
    return out


def embed_statements(items: Sequence[Statement], embedder: Embedder) -> np.ndarray:
    return embedder.encode([s.sentence.text for s in items])


def same_fact_probabilities(
    items: Sequence[Statement], vectors: np.ndarray, models: CompareModels
) -> np.ndarray:
    """Same-fact probability for every pair of statements (0 within one source)."""
    n = len(items)
    prob = np.zeros((n, n))
    if n < 2:
        return prob
    cosines = vectors @ vectors.T
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if items[i].source != items[j].source]
    if not pairs:
        return prob
    profiles = _informative_entities(items)
    rows = [align_features(float(cosines[i, j]), profiles[i], profiles[j]) for i, j in pairs]
    scores = models.align.probabilities(rows)[:, 1]
    for (i, j), p, row in zip(pairs, scores, rows, strict=True):
        # USE places every sentence of one story near the others: the same fact must also share a content
        # word or an informative entity, unless the two read as translations of each other.
        if row[0] < TRANSLATION_COSINE and row[1] == 0 and row[2] == 0:
            p *= NO_EVIDENCE_FACTOR
        prob[i, j] = prob[j, i] = p
    return prob


def _informative_entities(items: Sequence[Statement]) -> list[Profile]:
    """Profiles without the entities that most statements of the story name (the story's protagonists say
    nothing about which of its facts a statement states)."""
    counts: dict[str, int] = {}
    for item in items:
        for entity in item.profile.entities:
            counts[entity] = counts.get(entity, 0) + 1
    common = {e for e, c in counts.items() if c > COMMON_ENTITY_SHARE * len(items) and c >= COMMON_ENTITY_MIN}
    return [replace(item.profile, entities=item.profile.entities - common) for item in items]


def match(items: Sequence[Statement], prob: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Matches between each pair of sources: mutual best (each is the other's most probable statement in that
    source), at or above ``threshold``."""
    best: dict[tuple[int, int], int] = {}  # (statement, other source) -> best statement there
    for i in range(len(items)):
        for j in range(len(items)):
            if items[i].source == items[j].source:
                continue
            key = (i, items[j].source)
            if key not in best or prob[i, j] > prob[i, best[key]]:
                best[key] = j
    candidates = sorted(
        (
            (prob[i, j], i, j)
            for i in range(len(items))
            for j in range(i + 1, len(items))
            if prob[i, j] >= threshold
            and best.get((i, items[j].source)) == j
            and best.get((j, items[i].source)) == i
        ),
        reverse=True,
    )
    taken: set[tuple[int, int]] = set()  # (statement, other source) already matched
    matches = []
    for _, i, j in candidates:
        if (i, items[j].source) in taken or (j, items[i].source) in taken:
            continue
        taken.add((i, items[j].source))
        taken.add((j, items[i].source))
        matches.append((i, j))
    return matches
