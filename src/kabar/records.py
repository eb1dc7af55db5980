"""Typed, frozen records passed between Kabar's stages.

Every record that points into an article carries the article id and character offsets into that article's
``text`` (the text as read: decoded, newlines normalised), so anything downstream traces back to its span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from its source."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A boilerplate span found by the cleaner (``kind`` says what it is: teaser, caption, byline...)."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence; ``boilerplate`` names the boilerplate kind, or is None for article content (the prose)."""

    article: str
    id: str
    start: int
    end: int
    text: str
    paragraph: int
    boilerplate: str | None = None
    is_title: bool = False

    @property
    def states_facts(self) -> bool:
        """Whether its entities, dates and figures are extracted: prose, and photo captions, which say who, where
        and when but stay out of a brief's prose (``boilerplate == "caption"``)."""
        return self.boilerplate is None or self.boilerplate == CAPTION


CAPTION = "caption"
"""The boilerplate kind of a photo caption, the one kind that states facts."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention; ``entity`` is the linked entity id, set by the linker."""

    article: str
    start: int
    end: int
    text: str
    type: str
    entity: str | None = None
    origin: str = "rules"


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity unified across articles, with one canonical name."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct or indirect quote with its cue verb and speaker."""

    article: str
    start: int
    end: int
    content: str
    content_start: int
    content_end: int
    cue: str
    direct: bool
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_entity: str | None = None
    speaker_mention: int | None = None
    """Start offset of the mention the speaker resolves to (the antecedent, for a pronoun)."""
    sentence: str | None = None


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date, time, period or duration expression; ``value`` is ISO 8601 where it can be resolved."""

    article: str
    start: int
    end: int
    text: str
    value: str | None
    kind: str
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number or quantity; ``unit`` is the unit or the thing counted, ``of`` the entity an age belongs to."""

    article: str
    start: int
    end: int
    text: str
    value: float | None
    unit: str | None
    kind: str = "count"
    qualifier: str | None = None
    of: str | None = None


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    """An article together with everything the annotation stages found in it."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    boilerplate: tuple[Span, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    dates: tuple[DateRef, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    reference_date: str | None = None
    reference_origin: str | None = None
    stages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be read, with the reason in words a user can act on."""

    path: str
    reason: str
    code: str


@dataclass(frozen=True, slots=True)
class Annotation:
    """The result of annotating a set of articles: the articles and the entities linked across them."""

    articles: tuple[AnnotatedArticle, ...]
    entities: tuple[Entity, ...]
    failures: tuple[Failure, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """A pointer to one sentence of one article, or to one clause of it (``span``: character offsets within the
    sentence's text) when the sentence states several facts."""

    article: str
    sentence: str
    span: tuple[int, int] | None = None

    def stated(self, sentence_text: str) -> str:
        """What this reference points at, given its sentence's text: the sentence, or the clause of it."""
        return sentence_text if self.span is None else sentence_text[self.span[0] : self.span[1]]


@dataclass(frozen=True, slots=True)
class ConflictValue:
    article: str
    sentence: str
    text: str
    """The conflicting detail as written (a number, a date, a place, a speaker, a cue, the quoted words)."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources state the same fact with incompatible details; ``kind`` says which detail."""

    kind: str
    values: tuple[ConflictValue, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact stated by one or more sources: ``shared``, ``unique`` or ``conflict``."""

    id: str
    status: str
    members: tuple[SentenceRef, ...]
    conflicts: tuple[Conflict, ...] = ()
    score: float = 0.0
    """Importance, used to order the brief."""


@dataclass(frozen=True, slots=True)
class FigureClaim:
    """A figure a statement states: what is measured (``key``, e.g. ``dead``, ``houses_damaged:heavy``,
    ``price:pertalite``), the value or range as written, the time it holds for and who it is attributed to.

    ``start``/``end`` are offsets into the article text; ``span`` the same offsets within the sentence."""

    article: str
    sentence: str
    start: int
    end: int
    span: tuple[int, int]
    text: str
    key: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None = None
    qualifier: str | None = None
    time: str | None = None
    """ISO 8601 date or date-time the figure holds for."""
    time_origin: str = "none"
    """``stated`` (a date in the sentence), ``published`` (the article's date) or ``none``."""
    time_text: str | None = None
    attribution: str | None = None
    attribution_entity: str | None = None
    role: str = "value"
    """``value``; ``previous`` (the old value in "dari Rp 6.450 menjadi Rp 7.000"); ``part`` ("10 di
    antaranya", "17 orang meninggal karena terseret arus"), related to its whole, never in conflict with it;
    ``projection`` ("diperkirakan akan mencapai 50 orang"), never compared."""
    scope: str | None = None
    """The one place (linked entity) the figure's clause confines it to ("empat orang tewas di Pulogadung")."""
    scope_text: str | None = None
    corrected: bool = False
    """The sentence corrects an earlier figure ("diralat", "direvisi")."""
    updated: bool = False
    """The sentence, or the one before it, says the figure updates an earlier one ("diperbarui", "update")."""
    hedged: bool = False
    """The figure is marked unverified or provisional ("belum diverifikasi", "sementara")."""
    certain: bool = True
    """Whether the key was read close to the number (the counted noun, or a cue near it)."""
    phase: str | None = None
    """The part of the story the figure's clause confines it to: ``aftershock`` ("gempa susulan"), ``second``
    ("kecelakaan kedua"), ``earlier`` ("sebelumnya", "kemarin": a stale figure); None for the story itself."""


@dataclass(frozen=True, slots=True)
class EventClaim:
    """What happened in a statement: its predicate (a verb root), linked participants, place and time."""

    article: str
    sentence: str
    start: int
    end: int
    predicate: str
    participants: tuple[str, ...] = ()
    place: str | None = None
    time: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteClaim:
    """Words a statement attributes to a speaker."""

    article: str
    sentence: str
    start: int
    end: int
    content: str
    speaker: str | None = None
    speaker_entity: str | None = None


@dataclass(frozen=True, slots=True)
class StatusClaim:
    """The standing of something a statement reports: ``announced``, ``confirmed``, ``denied``, ``cancelled``,
    ``postponed``, ``corrected`` or ``negated`` ("belum naik", "tidak naik"); ``cue`` is the word that says so
    ("batal", "ditunda", "diralat", "belum")."""

    article: str
    sentence: str
    start: int
    end: int
    status: str
    cue: str
    target: str
    """The content words the status is about ("naik", "harga premium")."""


@dataclass(frozen=True, slots=True)
class Claims:
    """Every claim one statement makes."""

    figures: tuple[FigureClaim, ...] = ()
    events: tuple[EventClaim, ...] = ()
    quotes: tuple[QuoteClaim, ...] = ()
    statuses: tuple[StatusClaim, ...] = ()


@dataclass(frozen=True, slots=True)
class Figure:
    """Every value the story's sources give for one figure, and how they relate: ``agree`` (compatible),
    ``update`` (a later time), ``disagreement`` (the same time, incompatible) or ``correction``."""

    key: str
    label: str
    status: str
    values: tuple[FigureClaim, ...]
    sources: tuple[str, ...] = ()
    """Source name of each value, in the same order."""


@dataclass(frozen=True, slots=True)
class BriefSentence:
    text: str
    citations: tuple[SentenceRef, ...]
    fact: str | None = None


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An article whose text is (nearly) the same as another's: the same source text, not corroboration."""

    article: str
    duplicate_of: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Comparison:
    """What sources on one event agree on, report alone, and contradict, with a cited brief."""

    annotation: Annotation
    facts: tuple[Fact, ...]
    brief: tuple[BriefSentence, ...]
    duplicates: tuple[Duplicate, ...] = ()
    notes: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()


# -- stored rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the store keeps it: its dedup keys, its event, and what it repeats (if anything)."""

    article: Article
    content_hash: str
    simhash: int
    event: str | None
    duplicate_of: str | None
    ingested_at: str
    made_by: tuple[str, ...] = ()
    """Versions of the stages that placed it: duplicate detection, the encoder, the event engine."""


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event as the store lists it."""

    id: str
    title: str
    first_published: str | None
    last_published: str | None
    articles: int
    sources: int
    updated_at: str
    conflicts: int | None = None
    """Conflicting facts found when the event was last compared; None until it is."""
    compared_with: tuple[str, ...] = ()
    """Versions of the stages of that comparison (annotation and compare)."""


@dataclass(frozen=True, slots=True)
class FeedState:
    """What ``kabar watch`` remembers of a feed between polls and restarts (the ``feeds`` table)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_checked: str | None = None
    """When it was last polled (ISO, UTC)."""
    next_check: str | None = None
    """When it is due next (ISO, UTC): the interval after a success, a growing back-off after failures."""
    failures: int = 0
    """Failed polls in a row."""
    last_status: str | None = None
    """"new", "unchanged" or "failed"."""
    last_error: str | None = None
    articles: int = 0
    """Articles it has added to the corpus."""


@dataclass(frozen=True, slots=True)
class ClusteredArticle:
    """What rebuilding the clustering state needs of one stored article (``Store.iter_clustered``)."""

    id: str
    event: str | None
    published: str | None
    simhash: int
    vector: np.ndarray
    source: str | None
    url: str | None
    title: str | None
    entities: tuple[str, ...]
    """Entity keys (names)."""


@dataclass(frozen=True, slots=True)
class AssignedArticle:
    """An article with its vector, its entities (key, type, mentions) and the event it was assigned to, ready to
    be stored (``kabar batch`` loading a database)."""

    article: Article
    vector: np.ndarray
    entities: tuple[tuple[str, str, int], ...]
    event: str


@dataclass(frozen=True, slots=True)
class EventComparison:
    """A stored event compared: its row (with the conflict count just found), the comparison of its distinct
    articles, the stored articles that repeat another one, and its most named entities (name, type, mentions)."""

    event: EventRow
    comparison: Comparison
    repeats: tuple[StoredArticle, ...] = ()
    top_entities: tuple[tuple[str, str, int], ...] = ()
