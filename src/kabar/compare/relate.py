"""Relate two statements: agree, conflict or neutral, with the conflict's kind where the checks can name it.

The relation comes from the calibrated relation model (multinomial logistic regression on USE cosine, word
coverage, negation, number, entity, antonym and denial/admission features, fitted on IndoNLI train by
training/calibrate_compare.py); the kind comes from the same conflict checks ``compare`` uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kabar.compare.align import statements
from kabar.compare.conflicts import find_conflicts
from kabar.compare.features import profile, relate_features
from kabar.compare.model import load_models
from kabar.embed import Embedder, default_embedder
from kabar.pipeline import annotate
from kabar.records import Article

NAME = "relate.v1"


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    relation: str
    kind: str | None
    score: float
    """The model's probability of the relation given."""


def relate_pairs(
    pairs: Iterable[tuple[str, str, str]], embedder: Embedder | None = None
) -> Iterator[Relation]:
    """Relate (id, premise, hypothesis) triples."""
    models = load_models()
    encoder = embedder or default_embedder()
    for pair_id, premise, hypothesis in pairs:
        result = annotate([Article(id="premise", text=premise), Article(id="hypothesis", text=hypothesis)])
        if len(result.articles) < 2:
            yield Relation(pair_id, "neutral", None, 0.0)
            continue
        p_doc, h_doc = result.articles
        p_vec, h_vec = encoder.encode([premise, hypothesis])
        cos = float(p_vec @ h_vec)
        p_ents = frozenset(m.entity for m in p_doc.mentions if m.entity)
        h_ents = frozenset(m.entity for m in h_doc.mentions if m.entity)
        features = relate_features(cos, profile(premise, p_ents), profile(hypothesis, h_ents))
        prob = models.relate.probabilities([features])[0]
        best = int(prob.argmax())
        relation = models.relate_classes[best]
        kind = None
        items = statements(result.articles, [])
        first = [s for s in items if s.article == "premise"]
        second = [s for s in items if s.article == "hypothesis"]
        found = [c for a in first for b in second for c in find_conflicts(a, b, same_fact=True)]
        if found:
            kind = found[0].kind
            if relation != "conflict" and kind in {"number", "date", "negation"}:
                # An explicit incompatible value outweighs the model's lexical evidence.
                relation = "conflict"
                best = models.relate_classes.index("conflict")
        yield Relation(
            pair_id, relation, kind if relation == "conflict" else None, round(float(prob[best]), 4)
        )
