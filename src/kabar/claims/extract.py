"""Every claim of a statement: figures (``claims.figures``), what happened (event), who said what (quote) and
the standing of what is reported (status: announced, confirmed, denied, cancelled, postponed, corrected).
"""

from __future__ import annotations

import re

from kabar.claims.figures import figure_claims
from kabar.lang import fold, root_of
from kabar.records import AnnotatedArticle, Claims, EventClaim, QuoteClaim, Sentence, StatusClaim

NAME = "claims.v2"
_STATUS_CUES = {
    "corrected": "diralat meralat ralat direvisi merevisi dikoreksi mengoreksi corrected revised",
    "cancelled": "batal dibatalkan membatalkan pembatalan cancelled canceled scrapped",
    "postponed": "ditunda menunda penundaan diundur mengundur postponed delayed",
    "denied": "membantah menyangkal menampik dibantah denied denies deny hoaks hoax",
    "confirmed": "membenarkan mengonfirmasi dikonfirmasi dipastikan memastikan confirmed confirms",
    "announced": "mengumumkan diumumkan menetapkan ditetapkan announced announces",
}
STATUS_OF = {w: status for status, words in _STATUS_CUES.items() for w in words.split()}
NEGATIVE_STATUSES = frozenset({"cancelled", "postponed"})
MAX_EVENTS = 4
_NEGATORS = frozenset({"belum", "tidak", "tak", "batal", "not"})
_BARE_VERBS = frozenset(
    {"naik", "turun", "jadi", "datang", "tiba", "pergi", "hadir", "rise", "raised", "happen"}
)
"""Statuses that say a reported thing did not (yet) happen; denials are compared as stances (``conflicts``)."""
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_TARGET_STOP = frozenset(
    [
        "yang",
        "itu",
        "ini",
        "tersebut",
        "oleh",
        "karena",
        "untuk",
        "dan",
        "pada",
        "di",
        "the",
        "to",
        "by",
        "a",
        "an",
        "of",
    ]
)


def statement_claims(
    doc: AnnotatedArticle, sentence: Sentence, span: tuple[int, int] | None = None
) -> Claims:
    """The claims of a sentence, or of the clause ``span`` (offsets within the sentence) of it."""
    lo, hi = span if span is not None else (0, len(sentence.text))
    start, end = sentence.start + lo, sentence.start + hi
    return Claims(
        figures=tuple(figure_claims(doc, sentence, span)),
        events=tuple(_events(doc, sentence, start, end)),
        quotes=tuple(
            QuoteClaim(
                doc.article.id,
                sentence.id,
                q.content_start,
                q.content_end,
                q.content,
                q.speaker_text,
                q.speaker_entity,
            )
            for q in doc.quotes
            if start <= q.content_start < end
        ),
        statuses=tuple(status_claims(doc.article.id, sentence, lo, hi)),
    )


def status_claims(article: str, sentence: Sentence, lo: int, hi: int) -> list[StatusClaim]:
    """A status for each status cue in the span, with the content words it is about ("batal naik" -> "naik")."""
    text = sentence.text
    words = list(_WORD.finditer(text))
    out = []
    for k, word in enumerate(words):
        status = STATUS_OF.get(fold(word.group()))
        if status is None and fold(word.group()) in _NEGATORS and k + 1 < len(words):
            following_word = fold(words[k + 1].group())
            status = "negated" if _verbal(following_word) else None
        if status is None or not (lo <= word.start() < hi):
            continue
        following = [fold(w.group()) for w in words[k + 1 : k + 4]]
        target = [w for w in following if w not in _TARGET_STOP][:1]
        if target and not _predicate(target[0]):
            target = []  # "dibatalkan mahasiswa": the thing cancelled comes before ("kenaikan UKT dibatalkan")
        if not target:
            target = [fold(w.group()) for w in words[max(0, k - 2) : k]]
        out.append(
            StatusClaim(
                article,
                sentence.id,
                sentence.start + word.start(),
                sentence.start + word.end(),
                status,
                word.group(),
                " ".join(root_of(w) or w for w in target),
            )
        )
    return out


def _predicate(word: str) -> bool:
    """A word that can name what happened: a verb ("naik", "menaikkan") or a verb's noun ("kenaikan")."""
    root = root_of(word)
    return word in _BARE_VERBS or (root is not None and root != word)


def _verbal(word: str) -> bool:
    """A predicate a negator can deny ("naik", "menaikkan", "berpotensi"), not "ada" or a noun."""
    if word in _BARE_VERBS:
        return True
    root = root_of(word)
    return bool(re.match(r"^(me|di|ber|ter)[a-z]{3,}", word)) and root is not None and root != word


def _events(doc: AnnotatedArticle, sentence: Sentence, start: int, end: int) -> list[EventClaim]:
    """What the statement says happened: one event per predicate (the root of each affixed verb, at most
    ``MAX_EVENTS``), each with the statement's linked participants, place and time."""
    text = sentence.text[start - sentence.start : end - sentence.start]
    predicates: list[str] = []
    for word in _WORD.findall(text):
        low = fold(word)
        if word.islower() and re.match(r"^(me|di|ber|ter)[a-z]{3,}", low):
            root = root_of(low)
            if root is not None and root != low and root not in predicates:
                predicates.append(root)
    inside = [m for m in doc.mentions if start <= m.start < end and m.entity]
    participants = tuple(
        dict.fromkeys(m.entity for m in inside if m.type in {"PER", "ORG", "UNK"} and m.entity)
    )
    place = next((m.entity for m in inside if m.type == "LOC"), None)
    when = next(
        (d.value for d in doc.dates if start <= d.start < end and d.value and d.value[:1].isdigit()), None
    )
    return [
        EventClaim(doc.article.id, sentence.id, start, end, p, participants, place, when)
        for p in predicates[:MAX_EVENTS]
    ]
