"""Which algorithms made a result: the versioned names the stages declare (``quotes.v1``, ``align.v1``, ...),
gathered here so that every JSON document and stored result can record them.

A stage's name changes when its output for the same input changes; a result carries the names of the stages
that made it, so two results can be told apart when an algorithm moves on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kabar.records import Annotation


def annotate_versions(ner: str = "auto") -> list[str]:
    """The per-article stages in the order they run (the entity stage named by the ``ner`` tier), then
    cross-article entity linking."""
    from kabar.config import Config
    from kabar.extract import link
    from kabar.pipeline import STAGES, stage_names

    return [*stage_names(STAGES, Config(ner=ner)), link.NAME]


def annotation_versions(annotation: Annotation | None = None) -> list[str]:
    """What made an annotation: the stages its articles record (so the entity tier actually used), or for no
    annotation or one without articles the default ones."""
    if annotation is not None and annotation.articles:
        return list(annotation.articles[0].stages)
    return annotate_versions()


def result_versions(annotation: Annotation | None = None) -> list[str]:
    """What made a comparison of ``annotation`` (by default, of articles annotated with the default settings):
    its stages, then compare's."""
    return annotation_versions(annotation) + compare_versions()


def compare_versions() -> list[str]:
    """What ``compare`` runs on top of the annotation: alignment, clauses, claims, conflicts, facts, figures,
    the brief, and the sentence encoder they use."""
    from kabar import embed
    from kabar.claims import extract as claims
    from kabar.claims import keys
    from kabar.compare import align, brief, clauses, conflicts, facts, figures, story
    from kabar.compare import run as compare

    modules = (compare, align, clauses, claims, keys, conflicts, facts, figures, story, brief, embed)
    return [module.NAME for module in modules]


def cluster_versions() -> list[str]:
    """What assigns a stored article to an event: duplicate detection, the encoder and the online engine."""
    from kabar import embed
    from kabar.cluster import dedup, engine, features, sparse

    return [dedup.NAME, embed.NAME, features.NAME, sparse.NAME, engine.NAME]
