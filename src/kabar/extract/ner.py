"""The entity stage: chooses the extractor (packaged CRF model with gazetteer rules, or rules alone)."""

from __future__ import annotations

from kabar.config import Config
from kabar.extract.entities import extract_mentions, known_capitals
from kabar.records import AnnotatedArticle, Mention


def extract(doc: AnnotatedArticle, config: Config) -> list[Mention]:
    """Entity mentions of one article, by the extractor ``config.ner`` names."""
    known = known_capitals(doc.article.text, doc.sentences)
    return extract_mentions(doc.article.id, doc.sentences, known)
