"""Who a figure is attributed to and the time it holds for, from the sentence that states it.

Attribution: the speaker of a quote that holds the figure ("..., kata Kapolri"), a source named after
"menurut"/"according to"/"berdasarkan data", or the subject of a reporting verb ("BNPB mencatat ...", "the
governor said"). Time: a date stated in the sentence, else the article's publication date. For counts that
grow as a story unfolds (deaths, damaged houses) a stated date counts only when it says "as of" ("hingga Senin
malam", "per Selasa", "pukul 19.34 WIB"): "gempa Senin (21/11) menewaskan 268 orang" says when the earthquake
struck, not when 268 were counted.
"""

from __future__ import annotations

import re

from kabar.lang import cue_pattern
from kabar.records import AnnotatedArticle, DateRef, Mention, Sentence

_BEFORE_SOURCE = re.compile(rf"(?:{cue_pattern('source')})\s+$", re.I)
_AFTER_SOURCE = re.compile(
    rf"^\s*(?:\([^)]{{1,20}}\)\s*)?(?:(?:juga|telah|sudah|kembali)\s+)?(?:{cue_pattern('reporting')})\b", re.I
)
_TRAILING_SAID = re.compile(
    rf",\s+(?P<who>(?:the\s+|a\s+)?[\w'’ -]{{3,50}}?)\s+(?:{cue_pattern('said')})\b", re.I
)
# A counter not linked as a name: a capitalised subject before a reporting verb, with an abbreviation, an
# aside between commas or an hour between them ("Lingkaran Survei Indonesia (LSI), dengan suara masuk 76,57
# persen, mencatat", "Indikator pada pukul 20.29 WIB mencatat"), or the name after "hitung cepat"/"quick count".
_NAME = r"(?P<name>(?:[A-Z][\w&'’-]*\s+){0,4}[A-Z][\w&'’-]*)"
_COUNTER = re.compile(
    rf"(?:{_NAME}\s*(?:\([^)]{{1,20}}\)\s*)?(?:,(?:[^,]|,(?=\d)){{1,60}},\s*|(?:pada\s+)?pukul\s+[\d.:]+\s*(?:WIB|WITA|WIT)?\s*)?"
    rf"(?:(?:juga|telah|sudah)\s+)?(?:{cue_pattern('reporting')}|menempatkan)\b"
    r"|\b(?:hitung cepat|quick count)\s+(?P<counted>(?:[A-Z][\w&'’-]*\s+){0,4}[A-Z][\w&'’-]*))"
)
_NOT_COUNTER = frozenset({"Data", "Laporan", "Pihaknya", "Ia", "Dia", "Mereka", "He", "She", "They", "The"})
_CONNECTIVES = frozenset(
    {"Adapun", "Sementara", "Sedangkan", "Namun", "Selain", "Kemudian", "Lalu", "Meanwhile"}
)
_AS_OF = re.compile(r"\b(?:hingga|sampai|per|as of|until)\b[^,.;]{0,25}$", re.I)
CORRECTION = re.compile(
    r"\b(?:diralat|meralat|ralat|direvisi|merevisi|revisi|dikoreksi|mengoreksi|koreksi|corrected|revised|"
    r"correction)\b",
    re.I,
)
UPDATE = re.compile(
    r"\b(?:diperbarui|memperbarui|pembaruan|dimutakhirkan|memutakhirkan|pemutakhiran|update|updated|"
    r"terbaru|revised|direvisi|merevisi)\b",
    re.I,
)
HEDGE = re.compile(
    r"\b(?:belum diverifikasi|belum terverifikasi|belum dikonfirmasi|sementara|unverified|unconfirmed|"
    r"provisional|preliminary)\b",
    re.I,
)


def attribution(
    doc: AnnotatedArticle, sentence: Sentence, start: int, end: int
) -> tuple[str | None, str | None]:
    """(text, entity) of who a figure at ``start``-``end`` (article offsets) is attributed to."""
    for quote in doc.quotes:
        inside = quote.content_start <= start < quote.content_end
        same_sentence = quote.sentence == sentence.id and quote.cue.lower() in {"menurut", "according"}
        if (inside or same_sentence) and quote.speaker_text:
            return quote.speaker_text, quote.speaker_entity
    text, base = sentence.text, sentence.start
    named = [m for m in doc.mentions if sentence.start <= m.start < sentence.end and m.type in {"ORG", "PER"}]
    for mention in named:
        if _BEFORE_SOURCE.search(text[: mention.start - base]) or _AFTER_SOURCE.match(
            text[mention.end - base :]
        ):
            return mention.text, mention.entity
    said = _TRAILING_SAID.search(text)
    if said is not None:
        return said.group("who"), _entity_in(named, base + said.start("who"), base + said.end("who"))
    return _counter(text[: start - base]), None


def _counter(before: str) -> str | None:
    """The name as written of the last counter named before a figure, not linked as an entity."""
    matches = list(_COUNTER.finditer(before))
    if not matches:
        return None
    found = matches[-1]
    words = (found.group("name") or found.group("counted") or "").split()
    while words and words[0] in _CONNECTIVES:
        words = words[1:]
    return " ".join(words) if words and words[0] not in _NOT_COUNTER else None


def _entity_in(mentions: list[Mention], start: int, end: int) -> str | None:
    return next((m.entity for m in mentions if start <= m.start < end), None)


def figure_time(
    doc: AnnotatedArticle, sentence: Sentence, cumulative: bool
) -> tuple[str | None, str, str | None]:
    """(ISO time, origin, text as written) a figure of ``sentence`` holds for."""
    dates = [d for d in doc.dates if sentence.start <= d.start < sentence.end and d.value]
    day = next((d for d in dates if d.kind == "date" and d.value and d.value[:1].isdigit()), None)
    chosen: DateRef | None = None
    for d in dates:
        as_of = d.qualifier == "until" or _AS_OF.search(sentence.text[: d.start - sentence.start]) is not None
        if d.kind == "time" or (d.kind == "date" and (as_of or not cumulative)):
            chosen = d
            if d.kind == "time":
                break
    published = _published(doc)
    if chosen is None or chosen.value is None:
        return published, ("published" if published else "none"), None
    value = chosen.value
    if chosen.kind == "time":
        on = day.value if day is not None and day.value else (published or "")[:10]
        if not on:
            return published, ("published" if published else "none"), None
        value = f"{on[:10]}T{value}"
    if not value[:1].isdigit():
        return published, ("published" if published else "none"), None
    return value, "stated", chosen.text


def _published(doc: AnnotatedArticle) -> str | None:
    return doc.article.published or doc.reference_date
