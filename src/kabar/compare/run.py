"""``compare``: from annotated articles on one event to facts (shared, unique, conflicting) and a cited brief."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import numpy as np

from kabar.claims.extract import statement_claims
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
from kabar.compare.facts import aligned_groups, build_facts, named_places, real_conflicts
from kabar.compare.figures import Placed, priced, story_figures
from kabar.compare.model import load_models
from kabar.compare.plates import plate_conflicts
from kabar.compare.scopes import listed, same_places, story_places, unscoped
from kabar.compare.story import (
    agreed_figures,
    figure_evidence,
    figure_facts,
    lone_figures,
    same_event,
    status_conflicts,
    status_figures,
    time_conflicts,
)
from kabar.embed import Embedder, default_embedder
from kabar.records import AnnotatedArticle, Annotation, Claims, Comparison, Conflict, Duplicate

NAME = "compare.v3"


def compare(
    annotation: Annotation, embedder: Embedder | None = None, brief_length: int | None = None
) -> Comparison:
    """Line up what each source says: facts all share, facts one reports, facts where they conflict."""
    models = load_models()
    docs = annotation.articles
    duplicates = find_duplicates(docs)
    items = statements(docs, duplicates)
    languages = Counter(doc.article.language for doc in docs if doc.article.language not in (None, "und"))
    notes = _notes(duplicates, items, languages)
    embedder = embedder or default_embedder()
    vectors = embed_statements(items, embedder)
    prob = same_fact_probabilities(items, vectors, models)
    by_id = {doc.article.id: doc for doc in docs}
    claims = [statement_claims(by_id[item.article], item.sentence, item.ref.span) for item in items]
    prob = figure_evidence(prob, items, claims)
    matches = match(items, prob, models.align_threshold)
    items, vectors, prob, matches = split_clauses(items, vectors, prob, matches, docs, models, embedder)
    claims = [statement_claims(by_id[item.article], item.sentence, item.ref.span) for item in items]
    groups = aligned_groups(items, matches, prob)
    named = named_places(docs)
    published = {doc.article.id: doc.article.published or doc.reference_date for doc in docs}
    pair_conflicts, extra = _conflicts(items, claims, matches, prob, models.related_threshold, named, docs)
    names = {doc.article.id: doc.article.source or doc.article.id for doc in docs}
    language = "id" if (languages.most_common(1)[0][0] if languages else "en") in {"id", "ms"} else "en"
    texts = {item.sentence.id: item.sentence.text for item in items}
    placed = [Placed(f, items[k].source, groups[k]) for k, c in enumerate(claims) for f in c.figures]
    entity_names = {e.id: e.name for e in annotation.entities}
    placed, same = same_places(priced(placed, texts), docs, entity_names)
    places = frozenset(same.get(e, e) for e in story_places(docs))
    figures = story_figures(listed(unscoped(placed, places)), names, language, entity_names)
    figures += status_figures(items, claims, names, published, language)
    extra += figure_facts(figures, items, claims)
    facts = build_facts(
        items, groups, pair_conflicts, extra, agreed_figures(items, claims), lone_figures(items, claims)
    )
    scores = fact_scores(facts, items, vectors)
    facts = [replace(f, score=round(s, 4)) for f, s in zip(facts, scores, strict=True)]
    languages_of = {doc.article.id: doc.article.language for doc in docs}
    brief = write_brief(facts, items, vectors, names, language, brief_length, figures, languages_of)
    return Comparison(
        annotation=annotation,
        facts=tuple(facts),
        brief=tuple(brief),
        duplicates=tuple(duplicates),
        notes=tuple(notes),
        figures=tuple(figures),
    )


def _conflicts(
    items: list[Statement],
    claims: list[Claims],
    matches: list[tuple[int, int]],
    prob: np.ndarray,
    related_threshold: float,
    named: dict[str, list[str]],
    docs: tuple[AnnotatedArticle, ...],
) -> tuple[dict[tuple[int, int], list[Conflict]], list[tuple[list[int], list[Conflict]]]]:
    """Conflicts between pairs of statements, and place conflicts across the story, after the checks that
    rule out reports' own days and places one source names both of."""
    stamped = {doc.article.id: doc.article.published for doc in docs}  # stated publication times only
    pair_conflicts = _pair_conflicts(items, claims, matches, prob, related_threshold, named)
    pair_conflicts = {
        pair: kept
        for pair, found in pair_conflicts.items()
        if (kept := [c for c in found if not _reporting_days(c, items[pair[0]], items[pair[1]], stamped)])
    }
    extra: list[tuple[list[int], list[Conflict]]] = [
        ([i, j], real_conflicts([conflict], items[i], items[j], named))
        for i, j, conflict in story_place_conflicts(items)
    ]
    extra += [([i, j], [conflict]) for i, j, conflict in plate_conflicts(items)]
    return pair_conflicts, [(ks, found) for ks, found in extra if found]


def _reporting_days(conflict: Conflict, a: Statement, b: Statement, published: dict[str, str | None]) -> bool:
    """Whether a date conflict is only two reports' own days: each date the day its article was published or
    the day before ("Senin (4/12)" in Monday's report, "Rabu (6/12)" in Wednesday's), in articles published on
    different days. Coverage that runs over days says "today" differently; that is no dispute of when a thing
    happened."""
    if conflict.kind != "date":
        return False
    days = []
    for side, value in ((a, conflict.values[0]), (b, conflict.values[1])):
        when = (published.get(side.article) or "")[:10]
        ref = next((d for d in side.dates if d.text == value.text and d.value), None)
        if ref is None or not when or not ref.value or len(ref.value) < 10:
            return False
        try:
            gap = (date.fromisoformat(when) - date.fromisoformat(ref.value[:10])).days
        except ValueError:
            return False
        if gap not in (0, 1):
            return False
        days.append(when)
    return days[0] != days[1]


def _notes(duplicates: list[Duplicate], items: list[Statement], languages: Counter[str]) -> list[str]:
    notes = [
        f"{dup.article} repeats the text of {dup.duplicate_of}: counted once, not as corroboration"
        for dup in duplicates
    ]
    if len({s.source for s in items}) < 2:
        notes.append("only one source: nothing can be corroborated or contradicted; every fact is unique")
    if len(languages) > 1:
        notes.append("articles in several languages (" + ", ".join(sorted(str(k) for k in languages)) + ")")
    return notes


def _pair_conflicts(
    items: list[Statement],
    claims: list[Claims],
    matches: list[tuple[int, int]],
    prob: np.ndarray,
    related: float,
    named: dict[str, list[str]],
) -> dict[tuple[int, int], list[Conflict]]:
    """Conflicts between two statements: every check on aligned pairs (a date only when both state one event);
    places and opposite statuses on pairs that are related (same-fact probability at least ``related``) —
    related statements tell of several events and days, so no date is compared between them, and hours are
    figures (``claims.figures``)."""
    out: dict[tuple[int, int], list[Conflict]] = {}
    for i, j in matches:
        found = real_conflicts(find_conflicts(items[i], items[j], same_fact=True), items[i], items[j], named)
        found += time_conflicts(items[i], items[j])
        if not same_event(claims[i], claims[j]):
            found = [c for c in found if c.kind != "date"]  # two days of two events are no dispute
        if found:
            out[(i, j)] = found
    matched = set(matches)
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if (i, j) in matched or items[i].source == items[j].source or prob[i, j] < related:
                continue
            found = real_conflicts(
                find_conflicts(items[i], items[j], same_fact=False), items[i], items[j], named
            )
            found = [c for c in found if c.kind != "date"]
            found += status_conflicts(items[i], items[j], claims[i], claims[j])
            if found:
                out[(i, j)] = found
    return out
