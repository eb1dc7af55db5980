"""The annotation pipeline: per-article stages run in order, then entity linking across articles.

Each stage is pure (an annotated article in, a richer one out), declares what it requires and provides,
and has a versioned name that is recorded on its output (``AnnotatedArticle.stages``).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from kabar.config import DEFAULT, Config
from kabar.errors import UsageError
from kabar.extract import dates as dates_mod
from kabar.extract import link as link_mod
from kabar.extract import ner as ner_mod
from kabar.extract import numbers as numbers_mod
from kabar.extract import quotes as quotes_mod
from kabar.records import (
    AnnotatedArticle,
    Annotation,
    Article,
    DateRef,
    Failure,
    Mention,
    Quantity,
    Quote,
    Sentence,
)
from kabar.text import clean as clean_mod
from kabar.text import language as language_mod
from kabar.text import sentences as sentences_mod

logger = logging.getLogger(__name__)

StageFn = Callable[[AnnotatedArticle, Config], AnnotatedArticle]


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    run: StageFn


def _language(doc: AnnotatedArticle, config: Config) -> AnnotatedArticle:
    if doc.article.language:
        return doc
    return replace(doc, article=replace(doc.article, language=language_mod.detect_language(doc.article.text)))


def _clean(doc: AnnotatedArticle, config: Config) -> AnnotatedArticle:
    return replace(doc, boilerplate=tuple(clean_mod.find_boilerplate(doc.article.text)))


def _sentences(doc: AnnotatedArticle, config: Config) -> AnnotatedArticle:
    article = doc.article
    found = sentences_mod.split_sentences(article.text, article.id, doc.boilerplate, article.title)
    return replace(doc, sentences=tuple(found))


def _reference(doc: AnnotatedArticle, config: Config) -> AnnotatedArticle:
    published = doc.article.published
    if published:
        try:
            return replace(doc, reference_date=date.fromisoformat(published[:10]).isoformat(),
                           reference_origin="published")  # fmt: skip
        except ValueError:
            pass
    inferred = dates_mod.reference_from_text(doc.article.text)
    if inferred is None:
        return doc
    return replace(doc, reference_date=inferred.isoformat(), reference_origin="text")


def _entities(doc: AnnotatedArticle, config: Config) -> AnnotatedArticle:
    mentions = ner_mod.extract(doc, config)
    return replace(doc, mentions=tuple(mentions))


def _dates(doc: AnnotatedArticle, config: Config) -> AnnotatedArticle:
    ref = date.fromisoformat(doc.reference_date) if doc.reference_date else None
    return replace(doc, dates=tuple(dates_mod.extract_dates(doc.article.id, doc.sentences, ref)))


def _quantities(doc: AnnotatedArticle, config: Config) -> AnnotatedArticle:
    # One sentence at a time, with the dates and mentions inside it: what the numbers stage looks at for a
    # sentence lies within it, and the cost stays linear in the article's length.
    english = doc.article.language == "en"
    dates = _by_sentence(doc.sentences, doc.dates)
    mentions = _by_sentence(doc.sentences, doc.mentions)
    found: list[Quantity] = []
    for k, sentence in enumerate(doc.sentences):
        if not sentence.states_facts:
            continue
        # A photo caption's figures count like the prose's; it stays marked on the sentence itself.
        read = replace(sentence, boilerplate=None)
        found.extend(numbers_mod.extract_quantities(doc.article.id, [read], dates[k], mentions[k], english))
    return replace(doc, quantities=tuple(found))


_Spanned = TypeVar("_Spanned", DateRef, Mention)


def _by_sentence(sentences: Sequence[Sentence], spans: Sequence[_Spanned]) -> list[list[_Spanned]]:
    """The spans overlapping each sentence (sentences and spans in text order)."""
    starts = [s.start for s in sentences]
    out: list[list[_Spanned]] = [[] for _ in sentences]
    for span in spans:
        k = max(0, bisect.bisect_right(starts, span.start) - 1)
        while k < len(sentences) and sentences[k].start <= span.end:
            if span.start <= sentences[k].end:
                out[k].append(span)
            k += 1
    return out


def _quotes(doc: AnnotatedArticle, config: Config) -> AnnotatedArticle:
    return replace(doc, quotes=tuple(quotes_mod.extract_quotes(doc.article.id, doc.sentences, doc.mentions)))


STAGES: tuple[Stage, ...] = (
    Stage(language_mod.NAME, (), ("language",), _language),
    Stage(clean_mod.NAME, (), ("boilerplate",), _clean),
    Stage(sentences_mod.NAME, ("boilerplate",), ("sentences",), _sentences),
    Stage("reference.v1", (), ("reference_date",), _reference),
    Stage(ner_mod.NAME, ("sentences", "language"), ("mentions",), _entities),
    Stage(dates_mod.NAME, ("sentences", "reference_date"), ("dates",), _dates),
    Stage(numbers_mod.NAME, ("sentences", "dates", "mentions"), ("quantities",), _quantities),
    Stage(quotes_mod.NAME, ("sentences", "mentions"), ("quotes",), _quotes),
)


def stage_names(stages: Sequence[Stage], config: Config = DEFAULT) -> tuple[str, ...]:
    """The versioned names of the stages as run with ``config``: the entity stage is named by its tier."""
    entity_stage = ner_mod.stage_name(config.ner)
    return tuple(entity_stage if s.name == ner_mod.NAME else s.name for s in stages)


def check_order(stages: Sequence[Stage]) -> None:
    """Raise UsageError when a stage requires something no earlier stage provides."""
    provided: set[str] = set()
    for stage in stages:
        missing = set(stage.requires) - provided
        if missing:
            raise UsageError(
                f"stage {stage.name} requires {sorted(missing)}, which no earlier stage provides"
            )
        provided.update(stage.provides)


check_order(STAGES)


def annotate_article(article: Article, config: Config = DEFAULT) -> AnnotatedArticle:
    """Run every per-article stage on one article (no cross-article linking)."""
    doc = AnnotatedArticle(article=article)
    for stage in STAGES:
        doc = stage.run(doc, config)
    return replace(doc, stages=stage_names(STAGES, config))


def run_stages(doc: AnnotatedArticle, provides: Sequence[str], config: Config = DEFAULT) -> AnnotatedArticle:
    """Run only the per-article stages that provide the named annotations (``"sentences"``, ``"mentions"``,
    ...), in pipeline order, on a (partly) annotated article: for a consumer that needs some annotations cheaply
    (the event clustering reads the opening's sentences and entities). A stage whose requirement is neither
    among them nor already on ``doc`` is an error."""
    chosen = [s for s in STAGES if set(s.provides) & set(provides)]
    unknown = set(provides) - {p for s in chosen for p in s.provides}
    if unknown:
        raise UsageError(f"no stage provides {sorted(unknown)}")
    provided = {f for f in _PRESENT if getattr(doc, f, None) or getattr(doc.article, f, None)}
    check_order([Stage("given", (), tuple(provided), _clean), *chosen])
    for stage in chosen:
        doc = stage.run(doc, config)
    return replace(doc, stages=(*doc.stages, *stage_names(chosen, config)))


# What an article may already carry when only some stages are run.
_PRESENT = ("language", "boilerplate", "sentences", "reference_date", "mentions", "dates")


def link(docs: Sequence[AnnotatedArticle]) -> Annotation:
    """Link the mentions of all articles into entities and attach entity ids to quotes and ages."""
    all_mentions = [m for doc in docs for m in doc.mentions]
    pairs = [pair for doc in docs for pair in link_mod.inline_acronyms(doc.article.text)]
    linked, entities = link_mod.link_entities(all_mentions, pairs)
    out: list[AnnotatedArticle] = []
    pos = 0
    for doc in docs:
        mentions = tuple(linked[pos : pos + len(doc.mentions)])
        pos += len(doc.mentions)
        by_start = {m.start: m for m in mentions}
        quotes = tuple(_with_speaker(q, by_start) for q in doc.quotes)
        quantities = tuple(_with_owner(q, mentions) for q in doc.quantities)
        out.append(replace(doc, mentions=mentions, quotes=quotes, quantities=quantities,
                           stages=(*doc.stages, link_mod.NAME)))  # fmt: skip
    return Annotation(articles=tuple(out), entities=tuple(entities))


def _with_speaker(quote: Quote, by_start: dict[int, Mention]) -> Quote:
    if quote.speaker_mention is None:
        return quote
    mention = by_start.get(quote.speaker_mention)
    return (
        quote if mention is None or mention.entity is None else replace(quote, speaker_entity=mention.entity)
    )


def _with_owner(quantity: Quantity, mentions: Sequence[Mention]) -> Quantity:
    """An age's ``of`` names the person by mention text; after linking it names the entity id."""
    if quantity.kind != "age" or quantity.of is None:
        return quantity
    for mention in mentions:
        if mention.text == quantity.of and mention.end <= quantity.start and mention.entity is not None:
            return replace(quantity, of=mention.entity)
    return quantity


def annotate(
    items: Iterable[Article | Failure],
    config: Config = DEFAULT,
    on_item: Callable[[Article | Failure], None] | None = None,
) -> Annotation:
    """Annotate articles and link their entities; failures are passed through, never raised.

    Args:
        items: articles and read failures, as :func:`kabar.ingest.read_paths` yields them.
        config: pipeline settings.
        on_item: called after each item (for progress display).
    """
    docs: list[AnnotatedArticle] = []
    failures: list[Failure] = []
    for item in items:
        if isinstance(item, Failure):
            failures.append(item)
        else:
            try:
                docs.append(annotate_article(item, config))
            except RecursionError:
                failures.append(
                    Failure(item.path or item.id, "article too deeply nested to process", "too-complex")
                )
        if on_item is not None:
            on_item(item)
    annotation = link(docs)
    return replace(annotation, failures=tuple(failures))


def iter_annotated(items: Iterable[Article], config: Config = DEFAULT) -> Iterator[AnnotatedArticle]:
    """Annotate articles one by one without linking (for streaming and benchmarks)."""
    for article in items:
        yield annotate_article(article, config)
