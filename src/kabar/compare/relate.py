"""Relate two statements: agree, conflict or neutral, with the conflict's kind where the checks can name it.

Two tiers. *accurate* (the default where the model is installed): the fine-tuned e5-small cross-encoder
(:mod:`kabar.e5.pair`) reads both statements together. *fast*: the calibrated relation model, a multinomial
logistic regression on USE cosine, word coverage, negation, number, entity, antonym and denial/admission
features, fitted on IndoNLI train by training/calibrate_compare.py. In both, the kind of a conflict comes from
the conflict checks ``compare`` uses (number, date, negation, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from kabar.claims.extract import statement_claims
from kabar.compare.align import statements
from kabar.compare.conflicts import find_conflicts
from kabar.compare.features import profile, relate_features
from kabar.compare.model import load_models
from kabar.compare.story import status_conflicts
from kabar.e5 import pair
from kabar.embed import Embedder, default_embedder
from kabar.errors import ModelError
from kabar.pipeline import annotate
from kabar.records import Annotation, Article, Conflict

NAME = "relate.v1"
Tier = Literal["auto", "accurate", "fast"]
TIERS: tuple[str, ...] = get_args(Tier)
# Kinds of conflict the checks find from explicit values: one of them makes the fast tier say conflict whatever
# its lexical evidence (the logistic model weighs words, not values).
EXPLICIT_KINDS = frozenset({"number", "date", "negation"})
# The accurate tier: a pair is a conflict when the cross-encoder gives conflict at least CONFLICT_MIN (else the
# likelier of agree and neutral), or when the checks find a number or a date of the same thing that cannot both
# hold, which the cross-encoder often reads past ("membawa 62 orang" / "26 orang"). On IndoNLI val
# (eval/eval_relate.py --tier accurate): argmax alone 73.7% accuracy, conflict precision 80.2 / recall 71.6;
# CONFLICT_MIN 0.5 alone 73.5%, 83.1 / 68.1; with number and date checks 73.7%, 81.6 / 70.6 (F1 75.7, the best);
# adding negation checks as well lowered precision to 79.8. A cancelled or denied status ("batal naik" against
# "naik") counts as well (none among IndoNLI val pairs).
CONFLICT_MIN = 0.5
ACCURATE_OVERRIDES = frozenset({"number", "date", "status"})
CHUNK = 64  # pairs the accurate tier scores at once (results stream out chunk by chunk)


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    relation: str
    kind: str | None
    score: float
    """The model's probability of the relation given."""
    model: str = NAME
    """The versioned name of the tier that related the pair."""


def relate_pairs(
    pairs: Iterable[tuple[str, str, str]], embedder: Embedder | None = None, tier: Tier = "auto"
) -> Iterator[Relation]:
    """Relate (id, premise, hypothesis) triples.

    Raises:
        ModelError: ``tier="accurate"`` and the relation model is not installed.
    """
    available = tier != "fast" and pair.model_available()
    if tier == "accurate" and not available:
        raise ModelError(f"the relation model is not installed ({pair.default_model_path()})")
    if not available:
        yield from _fast(pairs, embedder or default_embedder())
        return
    chunk: list[tuple[str, str, str]] = []
    for item in pairs:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield from _accurate(chunk)
            chunk = []
    if chunk:
        yield from _accurate(chunk)


def _accurate(pairs: Sequence[tuple[str, str, str]]) -> Iterator[Relation]:
    prob = pair.pair_probabilities([(p, h) for _, p, h in pairs])
    conflict = pair.CLASSES.index("conflict")
    others = [k for k in range(len(pair.CLASSES)) if k != conflict]
    for (pair_id, premise, hypothesis), row in zip(pairs, prob, strict=True):
        best = conflict if row[conflict] >= CONFLICT_MIN else max(others, key=lambda k: row[k])
        found = _checks(annotate(_articles(premise, hypothesis)))
        kind = found[0].kind if found else None
        if best != conflict and kind in ACCURATE_OVERRIDES:
            best = conflict  # an explicit incompatible value the cross-encoder may read past
        yield Relation(
            pair_id,
            pair.CLASSES[best],
            kind if best == conflict else None,
            round(float(row[best]), 4),
            pair.NAME,
        )


def _fast(pairs: Iterable[tuple[str, str, str]], encoder: Embedder) -> Iterator[Relation]:
    models = load_models()
    for pair_id, premise, hypothesis in pairs:
        result = annotate(_articles(premise, hypothesis))
        if len(result.articles) < 2:
            yield Relation(pair_id, "neutral", None, 0.0)
            continue
        p_doc, h_doc = result.articles
        p_vec, h_vec = encoder.encode([premise, hypothesis])
        p_ents = frozenset(m.entity for m in p_doc.mentions if m.entity)
        h_ents = frozenset(m.entity for m in h_doc.mentions if m.entity)
        features = relate_features(
            float(p_vec @ h_vec), profile(premise, p_ents), profile(hypothesis, h_ents)
        )
        prob = models.relate.probabilities([features])[0]
        best = int(prob.argmax())
        relation = models.relate_classes[best]
        found = _checks(result)
        kind = found[0].kind if found else None
        if found and relation != "conflict" and kind in EXPLICIT_KINDS:
            # An explicit incompatible value outweighs the model's lexical evidence.
            relation = "conflict"
            best = models.relate_classes.index("conflict")
        yield Relation(
            pair_id, relation, kind if relation == "conflict" else None, round(float(prob[best]), 4)
        )


def _articles(premise: str, hypothesis: str) -> list[Article]:
    return [Article(id="premise", text=premise), Article(id="hypothesis", text=hypothesis)]


def _checks(result: Annotation) -> list[Conflict]:
    """The conflicts compare's checks find between the premise's and the hypothesis's statements: incompatible
    values, negation, and a cancellation, postponement or denial of what the other states plainly."""
    docs = {doc.article.id: doc for doc in result.articles}
    items = statements(result.articles, [])
    claims = [statement_claims(docs[s.article], s.sentence, s.ref.span) for s in items]
    first = [(s, c) for s, c in zip(items, claims, strict=True) if s.article == "premise"]
    second = [(s, c) for s, c in zip(items, claims, strict=True) if s.article == "hypothesis"]
    found = []
    for a, ca in first:
        for b, cb in second:
            found += find_conflicts(a, b, same_fact=True) + status_conflicts(a, b, ca, cb)
    return found
