"""``compare``: from annotated articles on one event to facts (shared, unique, conflicting) and a cited brief."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from kabar.compare.align import (
    Statement,
    embed_statements,
    find_duplicates,
    match,
    same_fact_probabilities,
    split_clauses,
    statements,
)
from kabar.compare.brief import fact_scores, write_brief
from kabar.compare.conflicts import find_conflicts, story_place_conflicts
from kabar.compare.model import load_models
from kabar.embed import Embedder, default_embedder
from kabar.records import Annotation, Comparison, Conflict, Fact
from kabar.unionfind import DisjointSets

NAME = "compare.v1"


def compare(
    annotation: Annotation, embedder: Embedder | None = None, brief_length: int | None = None
) -> Comparison:
    """Line up what each source says: facts all share, facts one reports, facts where they conflict."""
    models = load_models()
    docs = annotation.articles
    notes: list[str] = []
    duplicates = find_duplicates(docs)
    for dup in duplicates:
        notes.append(
            f"{dup.article} repeats the text of {dup.duplicate_of}: counted once, not as corroboration"
        )
    items = statements(docs, duplicates)
    sources = len({s.source for s in items})
    if sources < 2:
        notes.append("only one source: nothing can be corroborated or contradicted; every fact is unique")
    languages = Counter(doc.article.language for doc in docs if doc.article.language not in (None, "und"))
    if len(languages) > 1:
        notes.append("articles in several languages (" + ", ".join(sorted(str(k) for k in languages)) + ")")
    embedder = embedder or default_embedder()
    vectors = embed_statements(items, embedder)
    prob = same_fact_probabilities(items, vectors, models)
    matches = match(items, prob, models.align_threshold)
    items, vectors, prob, matches = split_clauses(items, vectors, prob, matches, docs, models, embedder)

    groups = DisjointSets(len(items))
    conflicts: dict[tuple[int, int], list[Conflict]] = {}
    for i, j in matches:
        groups.union(i, j)
        found = find_conflicts(items[i], items[j], same_fact=True)
        if found:
            conflicts[(i, j)] = found
    # Related but unmatched statements: numbers, dates and places anchored to the same thing.
    matched = set(matches)
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if (
                (i, j) in matched
                or items[i].source == items[j].source
                or prob[i, j] < models.related_threshold
            ):
                continue
            found = find_conflicts(items[i], items[j], same_fact=False)
            if found:
                conflicts[(i, j)] = found
                groups.union(i, j)

    for i, j, conflict in story_place_conflicts(items):
        conflicts.setdefault((i, j), []).append(conflict)
        groups.union(i, j)

    facts = _facts(items, groups, conflicts)
    scores = fact_scores(facts, items, vectors)
    facts = [replace(f, score=round(s, 4)) for f, s in zip(facts, scores, strict=True)]
    names = {doc.article.id: doc.article.source or doc.article.id for doc in docs}
    language = languages.most_common(1)[0][0] if languages else "en"
    brief = write_brief(
        facts, items, vectors, names, "id" if language in {"id", "ms"} else "en", brief_length
    )
    return Comparison(
        annotation=annotation,
        facts=tuple(facts),
        brief=tuple(brief),
        duplicates=tuple(duplicates),
        notes=tuple(notes),
    )


def _facts(
    items: list[Statement], groups: DisjointSets, conflicts: dict[tuple[int, int], list[Conflict]]
) -> list[Fact]:
    members: dict[int, list[int]] = {}
    for k in range(len(items)):
        members.setdefault(groups.find(k), []).append(k)
    by_root: dict[int, list[Conflict]] = {}
    for (i, _), found in conflicts.items():
        by_root.setdefault(groups.find(i), []).extend(found)
    facts = []
    for number, (root, ks) in enumerate(sorted(members.items(), key=lambda kv: min(kv[1])), start=1):
        found = _unique_conflicts(by_root.get(root, []))
        sources = {items[k].source for k in ks}
        status = "conflict" if found else ("shared" if len(sources) > 1 else "unique")
        facts.append(
            Fact(
                id=f"F{number}",
                status=status,
                members=tuple(items[k].ref for k in ks),
                conflicts=tuple(found),
            )
        )
    return facts


def _unique_conflicts(found: list[Conflict]) -> list[Conflict]:
    seen = set()
    out = []
    for conflict in found:
        key = (conflict.kind, tuple((v.article, v.sentence, v.text) for v in conflict.values))
        if key not in seen:
            seen.add(key)
            out.append(conflict)
    return out
