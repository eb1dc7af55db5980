"""Kabar: offline-first news intelligence, Indonesian first and multilingual.

Read articles, find who, where, when and how much, link entities across sources, and compare what each
source says.
"""

import logging

from kabar.records import (
    AnnotatedArticle,
    Annotation,
    Article,
    DateRef,
    Entity,
    Failure,
    Mention,
    Quantity,
    Quote,
    Sentence,
)

__version__ = "0.1.0"

__all__ = [
    "AnnotatedArticle",
    "Annotation",
    "Article",
    "DateRef",
    "Entity",
    "Failure",
    "Mention",
    "Quantity",
    "Quote",
    "Sentence",
    "__version__",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
