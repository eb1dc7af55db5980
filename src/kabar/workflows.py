"""Kabar's use cases, each written once. The shells (``kabar.cli``, ``kabar.api``, ``kabar.batch``) parse their
input, call one of these and render what it returns; none of them annotates, compares or ingests on its own.

- :func:`annotate_paths`: read files and directories, annotate and link their articles.
- :func:`compare_items` / :func:`compare_paths`: compare articles about one event.
- :func:`compare_event` / :func:`compare_stored`: compare a stored event (what ``kabar event`` and
  ``GET /api/events/{id}`` show); :func:`event_conflicts`: its conflict count, nothing written.
- :func:`ingest_sources` / :func:`ingest_items`: add articles (files, feeds, OPML lists, URLs) to a corpus.
- :func:`relate_lines` / :func:`relate_pairs`: relate statement pairs.
- :func:`tag_sentences` / :func:`iob_lines`: entity tags of tokens (IOB2).

Inputs that cannot be used become :class:`~kabar.records.Failure` records in the result; a use case raises
only when nothing at all could be used (:class:`~kabar.errors.NothingUsable`) or the request is impossible.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kabar.config import DEFAULT, Config
from kabar.errors import InputError, MalformedRecord, NotFound, NothingUsable, UsageError
from kabar.records import (
    AnnotatedArticle,
    Annotation,
    Article,
    Comparison,
    EventComparison,
    EventRow,
    Failure,
    StoredArticle,
)
from kabar.versions import result_versions

if TYPE_CHECKING:
    from kabar.compare.relate import Relation
    from kabar.corpus import Corpus, IngestReport
    from kabar.ingest.feeds import Guard
    from kabar.ingest.fetch import FetchPolicy
    from kabar.store.base import Store

Items = Iterable[Article | Failure]
Watch = Callable[[Items], Items]
"""Wraps the stream of read items, e.g. to show progress or report failures as they happen."""

TOP_ENTITIES = 15
"""Entities listed with a stored event (the most mentioned first)."""


def _watched(items: Items, watch: Watch | None) -> Items:
    return watch(items) if watch is not None else items


def read_inputs(sources: Sequence[str | Path], config: Config = DEFAULT) -> Iterator[Article | Failure]:
    """Articles from files and directories (text, HTML, JSONL), URLs (article pages or feeds) and ``-`` (standard
    input: JSONL, HTML or one text), each with an id no other article has."""
    from kabar.ingest import unique_ids

    return unique_ids(_read_each(sources, config, feed_files=False))


def _read_each(
    sources: Sequence[str | Path],
    config: Config,
    feed_files: bool,
    follow_links: bool = True,
    guard: Guard | None = None,
    policy: FetchPolicy | None = None,
) -> Iterator[Article | Failure]:
    """Each source in turn: ``-`` is standard input (JSONL records with ids made unique, an HTML page or one
    text), a URL is fetched
    (an article page, a feed or an OPML list); a path is read as files, or with ``feed_files`` also as feed and
    OPML files."""
    import sys

    from kabar.ingest import read_paths, unique_ids
    from kabar.ingest.feeds import is_url, read_sources
    from kabar.ingest.readers import read_stream

    for source in sources:
        text = str(source)
        if text == "-":
            yield from unique_ids(read_stream(sys.stdin.buffer.read(), "-", config))
        elif feed_files or is_url(text):
            yield from read_sources([text], config, follow_links=follow_links, guard=guard, policy=policy)
        else:
            yield from read_paths([Path(text)], config)


def parse_records(records: Sequence[Mapping[str, Any]], prefix: str = "article") -> list[Article | Failure]:
    """Article objects (as in JSONL) to articles; a bad one becomes a Failure named ``PREFIX[N]``."""
    from kabar.ingest.readers import parse_record

    items: list[Article | Failure] = []
    for k, record in enumerate(records, start=1):
        raw = json.dumps(
            {key: value for key, value in record.items() if value is not None}, ensure_ascii=False
        )
        try:
            items.append(parse_record(raw, where=f"{prefix}[{k}]", default_id=f"{prefix}-{k}"))
        except InputError as err:
            items.append(Failure(err.path, err.reason, err.code))
    return items


# -- annotate and compare ---------------------------------------------------------------------------------


def annotate_paths(
    paths: Sequence[str | Path], config: Config = DEFAULT, watch: Watch | None = None
) -> Annotation:
    """Read and annotate articles; files that cannot be read are the annotation's failures."""
    from kabar.pipeline import annotate

    return annotate(_watched(read_inputs(paths, config), watch), config)


ONE_EVENT_SHARE = 2 / 3
"""``compare`` warns when the largest event its articles form (grouped as ``kabar cluster`` does) holds fewer
than this share of them: two articles on different events, or a pile of unrelated ones. Two thirds lets one
stray report in three pass; set by hand."""


def one_event_note(articles: Sequence[Article]) -> str | None:
    """A warning when the articles do not look like reports of one event, else None."""
    from collections import Counter

    from kabar.cluster.run import cluster_articles

    if len(articles) < 2:
        return None
    events = Counter(event for _, event in cluster_articles(articles))
    largest = max(events.values())
    if largest >= ONE_EVENT_SHARE * len(articles):
        return None
    return (f"these {len(articles)} articles look like {len(events)} different events (the largest holds "
            f"{largest}): compare is meant for reports of one event; kabar cluster groups articles by event")  # fmt: skip


def compare_items(
    items: Items,
    brief_length: int | None = None,
    config: Config = DEFAULT,
    on_note: Callable[[str], None] | None = None,
) -> Comparison:
    """Annotate and compare articles about one event; read failures travel in the annotation's failures.
    A warning that they do not look like one event is added to the notes (and given to ``on_note`` before the
    comparison starts).

    Raises:
        NothingUsable: not one article could be read.
    """
    from kabar.compare.run import compare
    from kabar.pipeline import annotate

    annotation = annotate(items, _few_articles(config))
    if not annotation.articles:
        raise NothingUsable("no article could be read", annotation.failures)
    note = one_event_note([doc.article for doc in annotation.articles])
    if note is not None and on_note is not None:
        on_note(note)
    comparison = compare(annotation, brief_length=brief_length)
    return replace(comparison, notes=(*comparison.notes, note)) if note else comparison


def compare_paths(
    paths: Sequence[str | Path],
    brief_length: int | None = None,
    config: Config = DEFAULT,
    watch: Watch | None = None,
    on_note: Callable[[str], None] | None = None,
) -> Comparison:
    """:func:`compare_items` over files, directories, URLs and standard input."""
    return compare_items(_watched(read_inputs(paths, config), watch), brief_length, config, on_note)


def _few_articles(config: Config) -> Config:
    """A comparison reads few articles: the accurate entity tier unless another was named."""
    from kabar.extract.ner import few_articles_mode

    return replace(config, ner=few_articles_mode(config.ner))


def conflict_count(comparison: Comparison) -> int:
    return sum(1 for fact in comparison.facts if fact.status == "conflict")


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A stored event as read to compare it: its row, its stored articles, its most named entities."""

    row: EventRow
    members: tuple[StoredArticle, ...]
    top_entities: tuple[tuple[str, str, int], ...]

    @property
    def articles(self) -> list[Article]:
        """The distinct articles, the ones compared."""
        return [m.article for m in self.members if m.duplicate_of is None]

    @property
    def repeats(self) -> tuple[StoredArticle, ...]:
        """The stored articles that repeat another one."""
        return tuple(m for m in self.members if m.duplicate_of is not None)


def load_event(store: Store, event_id: str) -> StoredEvent:
    """Read a stored event to compare it.

    Raises:
        NotFound: the store has no such event.
    """
    row = store.event(event_id)
    if row is None:
        raise NotFound(f"no event {event_id!r} (see the list of events: kabar events, GET /api/events)")
    members = tuple(store.articles_of_event(event_id))
    return StoredEvent(row, members, tuple(store.event_entities(event_id, TOP_ENTITIES)))


def compare_event(store: Store, event_id: str) -> EventComparison:
    """Compare the distinct articles of a stored event and record its conflict count in the store.

    Raises:
        NotFound: the store has no such event.
    """
    event = load_event(store, event_id)
    comparison = compare_stored(event.articles)
    row = record_comparison(
        store, event.row, conflict_count(comparison), result_versions(comparison.annotation)
    )
    return EventComparison(row, comparison, event.repeats, event.top_entities)


def compare_stored(articles: Sequence[Article]) -> Comparison:
    """Compare a stored event's distinct articles (``StoredEvent.articles``), writing nothing: what
    :func:`compare_event` records, and what the API compares away from the process that answers reads."""
    from kabar.compare.run import compare
    from kabar.pipeline import annotate

    # The fast entity tier: stored events are compared as articles arrive (refresh_conflicts), in bulk.
    return compare(annotate(list(articles)))


def event_conflicts(store: Store, event_id: str) -> tuple[int, list[str]]:
    """A stored event's conflict count and the versions of the stages that found it, writing nothing; an event
    with one distinct article has none, and nothing is compared.

    Raises:
        NotFound: the store has no such event.
    """
    articles = load_event(store, event_id).articles
    if len(articles) < 2:
        return 0, result_versions()
    comparison = compare_stored(articles)
    return conflict_count(comparison), result_versions(comparison.annotation)


def record_comparison(store: Store, row: EventRow, conflicts: int, versions: Sequence[str]) -> EventRow:
    """Store an event's conflict count and the versions of the stages that found it, when they changed; the row
    as it now is."""
    names = tuple(versions)
    if row.conflicts != conflicts or row.compared_with != names:
        store.set_event_conflicts(row.id, conflicts, names)
        row = replace(row, conflicts=conflicts, compared_with=names)
    return row


# -- corpus -----------------------------------------------------------------------------------------------


def ingest_sources(
    corpus: Corpus,
    sources: Sequence[str],
    config: Config = DEFAULT,
    follow_links: bool = True,
    guard: Guard | None = None,
    watch: Watch | None = None,
    conflicts: bool = True,
    outlet: str | None = None,
    policy: FetchPolicy | None = None,
) -> IngestReport:
    """Add articles from files, directories, feed and OPML files, URLs (article pages, feeds or OPML lists,
    told apart by their content) and ``-`` (standard input) to the corpus. ``guard`` checks every URL before it is fetched; ``policy`` bounds
    every fetch and says whether private addresses may be connected to. ``conflicts``: compare the events that
    gained articles, so their conflict counts are current (see :func:`refresh_conflicts`)."""
    items = _read_each(sources, config, True, follow_links, guard, policy)
    return ingest_items(corpus, _watched(items, watch), conflicts, outlet)


def ingest_items(
    corpus: Corpus, items: Items, conflicts: bool = True, outlet: str | None = None
) -> IngestReport:
    """Add articles already read (failures are counted, not stored); then, with ``conflicts``, bring the conflict
    counts of the events that gained articles up to date."""
    report = corpus.ingest(items, outlet=outlet)
    if conflicts:
        refresh_conflicts(corpus.store, sorted(report.events))
    return report


def refresh_conflicts(store: Store, event_ids: Iterable[str]) -> dict[str, int]:
    """Compare each event and record its conflict count, so that lists ordered by conflicts are right as
    articles arrive rather than once someone opens the event. An event with one article has none to compare."""
    counts: dict[str, int] = {}
    for event_id in event_ids:
        row = store.event(event_id)
        if row is None:
            continue
        if row.articles < 2:
            store.set_event_conflicts(event_id, 0)
            counts[event_id] = 0
            continue
        counts[event_id] = compare_event(store, event_id).event.conflicts or 0
    return counts


# -- relate -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RelatedLines:
    relations: tuple[Relation, ...]
    skipped: tuple[Failure, ...]
    """Lines that are not a pair, named ``line N``."""


def parse_pair_line(line: str, number: int) -> tuple[str, str, str]:
    """One JSONL line ``{"id", "premise", "hypothesis"}`` to an (id, premise, hypothesis) triple; the id
    defaults to the line number.

    Raises:
        MalformedRecord: the line is not such an object.
    """
    where = f"line {number}"
    try:
        obj = json.loads(line)
    except ValueError as error:
        raise MalformedRecord(where, f"not JSON ({error})") from None
    if not isinstance(obj, dict):
        raise MalformedRecord(where, "a line must be a JSON object")
    premise, hypothesis = obj.get("premise"), obj.get("hypothesis")
    if not all(isinstance(s, str) and s.strip() for s in (premise, hypothesis)):
        raise MalformedRecord(where, "premise and hypothesis must be non-empty strings")
    return str(obj.get("id", number)), str(premise), str(hypothesis)


def relate_lines(lines: Iterable[str], tier: str = "auto") -> RelatedLines:
    """Relate the pairs of JSONL lines with the ``tier`` (auto, accurate, fast); blank lines are ignored, bad
    ones skipped and named."""
    pairs: list[tuple[str, str, str]] = []
    skipped: list[Failure] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pairs.append(parse_pair_line(line, number))
        except MalformedRecord as error:
            skipped.append(Failure(error.path, error.reason, error.code))
    return RelatedLines(tuple(relate_pairs(pairs, tier)), tuple(skipped))


def relate_pairs(pairs: Sequence[tuple[str, str, str]], tier: str = "auto") -> list[Relation]:
    """Relate (id, premise, hypothesis) triples: agree, conflict or neutral.

    Raises:
        UsageError: ``tier`` is none of auto, accurate, fast.
        ModelError: ``tier="accurate"`` and the relation model is not installed.
    """
    from kabar.compare.relate import TIERS
    from kabar.compare.relate import relate_pairs as run_relate

    if tier not in TIERS:
        raise UsageError(f"unknown relation tier {tier!r} (one of {', '.join(TIERS)})")
    return list(run_relate(pairs, tier=tier)) if pairs else []  # type: ignore[arg-type]


def relation_dict(relation: Relation) -> dict[str, Any]:
    return {"id": relation.id, "relation": relation.relation, "kind": relation.kind, "score": relation.score,
            "model": relation.model}  # fmt: skip


# -- tag --------------------------------------------------------------------------------------------------


def tag_sentences(
    sentences: Iterable[Sequence[str]], extractor: str = "auto"
) -> Iterator[list[tuple[str, str]]]:
    """Tag tokenised sentences (as ``kabar.ingest.conll.read_conll_tokens`` reads them): (token, IOB2 tag)
    pairs, one list per sentence. ``extractor``: auto (the pipeline's entity stage), model (the CRF) or rules."""
    from kabar.extract.ner import tag_words

    for words in sentences:
        yield list(zip(words, tag_words(words, extractor), strict=True))


def iob_lines(doc: AnnotatedArticle) -> list[str]:
    """An annotated article's mentions as CoNLL lines ``token<TAB>tag`` (IOB2), a blank line after each
    sentence; boilerplate sentences are left out."""
    from kabar.lang import tokenize

    lines: list[str] = []
    for sentence in doc.sentences:
        if sentence.boilerplate:
            continue
        tokens = tokenize(sentence.text, sentence.start)
        tags: dict[int, str] = {}
        for mention in doc.mentions:
            if sentence.start <= mention.start < sentence.end:
                inside = [t for t in tokens if mention.start <= t.start < mention.end]
                for k, token in enumerate(inside):
                    tags[token.start] = ("B-" if k == 0 else "I-") + mention.type
        lines.extend(f"{t.text}\t{tags.get(t.start, 'O')}" for t in tokens)
        lines.append("")
    return lines
