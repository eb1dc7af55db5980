"""Statements, duplicate sources, and the alignment of statements across articles into facts.

A statement is a non-title sentence that states facts (prose, or a photo caption, which takes part in
comparison but never becomes brief prose). Two statements of different sources are scored by the
calibrated same-fact model over their USE cosine, content-word overlap and linked-entity overlap; within each
pair of sources, matches are made one to one, best first, above the calibrated threshold. Facts are the
connected groups of matched statements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from kabar.compare.clauses import clause_spans
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

    @property
    def text(self) -> str:
        """The statement's words: the sentence, or the clause of it."""
        return self.ref.stated(self.sentence.text)


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
            s for s in doc.sentences if s.states_facts and not s.is_title and len(s.text.split()) >= MIN_WORDS
        ]
        for k, sentence in enumerate(content):
            position = k / max(1, len(content) - 1)
            out.append(_statement(doc, sentence, source, position, None))
        source += 1
    return out


def _statement(
    doc: AnnotatedArticle, sentence: Sentence, source: int, position: float, span: tuple[int, int] | None
) -> Statement:
    """The statement made by a sentence, or by the clause ``span`` of it (offsets within the sentence)."""
    start, end = (
        (sentence.start, sentence.end)
        if span is None
        else (sentence.start + span[0], sentence.start + span[1])
    )
    inside = [m for m in doc.mentions if start <= m.start < end]
    ref = SentenceRef(doc.article.id, sentence.id, span)
    return Statement(
        ref=ref,
        sentence=sentence,
        source=source,
        position=position,
        profile=profile(ref.stated(sentence.text), frozenset(m.entity for m in inside if m.entity)),
        mentions=tuple(inside),
        quotes=tuple(q for q in doc.quotes if start <= q.content_start < end),
        quantities=tuple(q for q in doc.quantities if start <= q.start < end),
        dates=tuple(d for d in doc.dates if start <= d.start < end),
    )


def embed_statements(items: Sequence[Statement], embedder: Embedder) -> np.ndarray:
    return embedder.encode([s.text for s in items])


def same_fact_probabilities(
    items: Sequence[Statement], vectors: np.ndarray, models: CompareModels
) -> np.ndarray:
    """Same-fact probability for every pair of statements (0 within one source)."""
    n = len(items)
    prob = np.zeros((n, n))
    if n < 2:
        return prob
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if items[i].source != items[j].source]
    profiles = _informative_entities(items, _common_entities(items))
    for (i, j), p in zip(pairs, _pair_probabilities(pairs, vectors, profiles, models), strict=True):
        prob[i, j] = prob[j, i] = p
    return prob


def _pair_probabilities(
    pairs: Sequence[tuple[int, int]], vectors: np.ndarray, profiles: Sequence[Profile], models: CompareModels
) -> list[float]:
    if not pairs:
        return []
    rows = [align_features(float(vectors[i] @ vectors[j]), profiles[i], profiles[j]) for i, j in pairs]
    scores = models.align.probabilities(rows)[:, 1]
    out = []
    for p, row in zip(scores, rows, strict=True):
        # USE places every sentence of one story near the others: the same fact must also share a content
        # word or an informative entity, unless the two read as translations of each other.
        if row[0] < TRANSLATION_COSINE and row[1] == 0 and row[2] == 0:
            p *= NO_EVIDENCE_FACTOR
        out.append(float(p))
    return out


def _common_entities(items: Sequence[Statement]) -> set[str]:
    """The entities that most statements of the story name: the story's protagonists say nothing about which
    of its facts a statement states."""
    counts: dict[str, int] = {}
    for item in items:
        for entity in item.profile.entities:
            counts[entity] = counts.get(entity, 0) + 1
    return {e for e, c in counts.items() if c > COMMON_ENTITY_SHARE * len(items) and c >= COMMON_ENTITY_MIN}


def _informative_entities(items: Sequence[Statement], common: set[str]) -> list[Profile]:
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


def split_clauses(
    items: list[Statement],
    vectors: np.ndarray,
    prob: np.ndarray,
    matches: list[tuple[int, int]],
    docs: Sequence[AnnotatedArticle],
    models: CompareModels,
    embedder: Embedder,
) -> tuple[list[Statement], np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Split matched sentences that state more than their partners do.

    A matched sentence with several clauses (``clauses.clause_spans``) is replaced by its clauses when at least
    one clause is unrelated to every statement it was matched with (same-fact probability under the related
    threshold) while another clause carries the match: the carrying clauses keep the match, each unrelated
    clause becomes a statement of its own (and may match another source's unmatched statement).
    """
    partners: dict[int, list[int]] = {}
    for i, j in matches:
        partners.setdefault(i, []).append(j)
        partners.setdefault(j, []).append(i)
    by_id = {doc.article.id: doc for doc in docs}
    pieces: dict[int, list[Statement]] = {}
    for k in sorted(partners):
        item = items[k]
        spans = clause_spans(item.sentence.text) if item.ref.span is None else []
        if len(spans) > 1:
            doc = by_id[item.article]
            pieces[k] = [_statement(doc, item.sentence, item.source, item.position, span) for span in spans]
    if not pieces:
        return items, vectors, prob, matches
    flat = [c for k in sorted(pieces) for c in pieces[k]]
    clause_vectors = embed_statements(flat, embedder)
    common = _common_entities(items)
    old_profiles = _informative_entities(items, common)
    clause_profiles = _informative_entities(flat, common)
    # Each clause against the statements its sentence was matched with.
    offset = 0
    starts: dict[int, int] = {}  # old index -> row of its first clause in clause_vectors
    unrelated: dict[int, set[int]] = {}  # old index -> positions of its unrelated clauses
    for k in sorted(pieces):
        starts[k] = offset
        n = len(pieces[k])
        support = []
        for c in range(n):
            vecs = np.vstack([clause_vectors[offset + c : offset + c + 1], vectors[partners[k]]])
            profs = [clause_profiles[offset + c], *(old_profiles[j] for j in partners[k])]
            pairs = [(0, t) for t in range(1, len(profs))]
            support.append(max(_pair_probabilities(pairs, vecs, profs, models)))
        weak = {c for c, p in enumerate(support) if p < models.related_threshold}
        if weak and len(weak) < n and max(support) >= models.related_threshold:
            unrelated[k] = weak
        offset += n
    if not unrelated:
        return items, vectors, prob, matches

    # The new statement list: split sentences replaced by their clauses, in place.
    new_items: list[Statement] = []
    rows: list[np.ndarray] = []
    origin: list[int] = []  # new index -> old index
    is_clause: list[int | None] = []  # new index -> clause position, or None
    new_of: dict[int, list[int]] = {}
    for k, item in enumerate(items):
        if k in unrelated:
            for c, piece in enumerate(pieces[k]):
                new_of.setdefault(k, []).append(len(new_items))
                new_items.append(piece)
                rows.append(clause_vectors[starts[k] + c])
                origin.append(k)
                is_clause.append(c)
        else:
            new_of[k] = [len(new_items)]
            new_items.append(item)
            rows.append(vectors[k])
            origin.append(k)
            is_clause.append(None)
    new_vectors = np.vstack(rows)
    n = len(new_items)
    # Pairs of whole sentences keep their probability; pairs with a clause are scored afresh.
    new_prob = prob[np.ix_(origin, origin)]
    clauses = [a for a in range(n) if is_clause[a] is not None]
    fresh = [
        (a, b)
        for a in clauses
        for b in range(n)
        if new_items[a].source != new_items[b].source and (is_clause[b] is None or a < b)
    ]
    profiles = _informative_entities(new_items, common)
    for (a, b), p in zip(fresh, _pair_probabilities(fresh, new_vectors, profiles, models), strict=True):
        new_prob[a, b] = new_prob[b, a] = p

    def carrying(k: int) -> list[int]:
        return [t for c, t in enumerate(new_of[k]) if k not in unrelated or c not in unrelated[k]]

    new_matches = [(a, b) for i, j in matches for a in carrying(i) for b in carrying(j)]
    matched_sources: dict[int, set[int]] = {}
    for a, b in new_matches:
        matched_sources.setdefault(a, set()).add(new_items[b].source)
        matched_sources.setdefault(b, set()).add(new_items[a].source)
    for k, weak in unrelated.items():
        for c in sorted(weak):
            a = new_of[k][c]
            others = [
                b
                for b in range(n)
                if new_items[b].source != new_items[a].source
                and new_items[a].source not in matched_sources.get(b, set())
                and new_prob[a, b] >= models.align_threshold
            ]
            if others:
                b = max(others, key=lambda t: new_prob[a, t])
                new_matches.append((a, b))
                matched_sources.setdefault(b, set()).add(new_items[a].source)
    return new_items, new_vectors, new_prob, new_matches
