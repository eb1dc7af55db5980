"""Direct and indirect quotes with their cue verb and speaker.

Forms handled (Indonesian first, English alike):
- ``“...,” kata X`` / ``"...", ujar X`` / ``..., katanya`` - the speaker follows a post-cue;
- ``X mengatakan: “...”`` / ``X menjawab "..."`` - the speaker is the subject before a pre-cue;
- ``X mengatakan (bahwa) ...`` - indirect speech, the content running to the end of the clause;
- ``X membantah tuduhan tersebut`` - denials and admissions, kept with their cue so later stages see them;
- ``..., menurut X.`` / ``Menurut X, ...`` - attribution.
Pronoun speakers ("ia", "dia", "-nya") are resolved to the last speaker or, failing that, to the subject of
the nearest sentence before that names a person.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kabar.lang import attribution_cues, cue_pattern
from kabar.records import Mention, Quote, Sentence

NAME = "quotes.v1"

PRE_CUES = attribution_cues()["pre"]
"""Reporting verbs between a speaker and what is said (``data/attribution-cues.tsv``)."""
POST_CUES = attribution_cues()["post"]
"""Cues after a quote, before its speaker."""
DENIAL_CUES = frozenset({"membantah", "menyangkal", "denied", "menolak"})
PRONOUNS = frozenset({"ia", "dia", "beliau", "mereka", "he", "she", "they", "-nya"})
_NEGATION = re.compile(
    r"\b(tidak|tak|belum|enggan|bukan|not|never|declined to|refused to)(\s+\w+)?\s*$", re.I
)
_AUX = frozenset(
    [
        "telah",
        "sudah",
        "akan",
        "juga",
        "pun",
        "kemudian",
        "lalu",
        "sempat",
        "pernah",
        "hanya",
        "baru",
        "segera",
        "masih",
        "sedang",
        "tengah",
        "justru",
        "kembali",
        "bahkan",
        "lantas",
        "pada",
        "dalam",
        "yang",
        "has",
        "have",
        "had",
        "was",
        "were",
        "is",
        "are",
        "also",
        "then",
        "later",
    ]
)
_VERBISH = re.compile(r"^(di|me|mem|men|meng|meny|ber|ter)[a-z]{3,}$")
_LEADING = re.compile(
    r"^(baik|namun|tetapi|sementara itu|sementara|adapun|sedangkan|dan|but|and|meanwhile)\s+", re.I
)
_PRE = re.compile(r"\b(" + cue_pattern("pre") + r")\b", re.I)
_POST_AFTER_QUOTE = re.compile(
    r"^\s*,?\s*(?P<cue>" + cue_pattern("post") + r")\b(?:\s+to)?(?P<rest>[^“”\"]*)", re.I
)
_TRAILING_ATTRIBUTION = re.compile(
    r",\s*(?P<cue>" + cue_pattern("trailing") + r")\s+"
    r"(?P<speaker>[^,.;“”\"]{2,80}?)\s*\.?\s*$",
    re.I,
)
_LEADING_ATTRIBUTION = re.compile(
    r"^(?P<cue>" + cue_pattern("leading") + r")\s+(?P<speaker>[^,]{2,80}),\s*(?P<content>.+)$", re.I
)
_SPEAKER_END = re.compile(
    r"\s+(?:kepada|di|dalam|pada|saat|ketika|usai|seusai|setelah|sebelum|dari|yang|seperti|to|in|at|on|after|"
    r"during|from|who|when)\b|[,.;:!?]"
)
_QUOTE_PAIRS = re.compile(r"“(?P<a>[^”]{1,2000})”|\"(?P<b>[^\"]{1,2000})\"|«(?P<c>[^»]{1,2000})»")


@dataclass(slots=True)
class _Speaker:
    start: int
    end: int
    mention: Mention | None


def extract_quotes(
    article_id: str, sentences: Sequence[Sentence], mentions: Sequence[Mention]
) -> list[Quote]:
    """Find the quotes of one article; ``speaker_entity`` is left for the linker to fill from mentions."""
    quotes: list[Quote] = []
    context = _Context(mentions)
    for sentence in sentences:
        if sentence.boilerplate or sentence.is_title:
            continue
        found = _sentence_quotes(article_id, sentence, context)
        quotes.extend(found)
        context.after_sentence(sentence, found)
    return quotes


class _Context:
    """What pronoun resolution needs: mentions by position and the last speakers and subjects."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]
        self.last_speaker: Mention | None = None
        self.last_subject: Mention | None = None
        self.since_speaker = 99

    def within(self, start: int, end: int) -> list[Mention]:
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_right(self._starts, end)
        return [m for m in self.mentions[lo:hi] if m.end <= end]

    def resolve_pronoun(self) -> Mention | None:
        if self.last_speaker is not None and self.since_speaker <= 2:
            return self.last_speaker
        return self.last_subject

    def after_sentence(self, sentence: Sentence, quotes: list[Quote]) -> None:
        self.since_speaker += 1
        for quote in quotes:
            if quote.speaker_start is not None:
                found = self.mention_at(quote.speaker_start, quote.speaker_end or quote.speaker_start)
                if found is not None:
                    self.last_speaker = found
                    self.since_speaker = 0
        people = [m for m in self.within(sentence.start, sentence.end) if m.type in {"PER", "UNK"}]
        if people:
            self.last_subject = people[0]

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The speaker a span names: a person in it, or an organisation or place that heads it."""
        inside = self.within(start, end)
        for wanted in ({"PER"}, {"UNK"}):
            for m in inside:
                if m.type in wanted:
                    return m
        head = [m for m in inside if m.start == start]
        return head[0] if head else None


def _sentence_quotes(article_id: str, sentence: Sentence, ctx: _Context) -> list[Quote]:
    text = sentence.text
    used_cues: set[int] = set()
    pre_cues = [m for m in _PRE.finditer(text) if not _negated(text, m.start())]
    quotes = _quoted(article_id, sentence, ctx, pre_cues, used_cues)
    _add_reported(article_id, sentence, ctx, pre_cues, used_cues, quotes)
    if not quotes:
        quotes.extend(_attributed(article_id, sentence, ctx))
    return quotes


def _quoted(
    article_id: str, sentence: Sentence, ctx: _Context, pre_cues: list[re.Match[str]], used_cues: set[int]
) -> list[Quote]:
    """Quoted content, with the cue after the quote or else the nearest unused cue before it (adding the cues
    taken to ``used_cues``); a cue whose quote does not follow it at once reports the words after it instead."""
    text = sentence.text
    base = sentence.start
    quotes: list[Quote] = []
    for qm in _QUOTE_PAIRS.finditer(text):
        group = next(name for name in ("a", "b", "c") if qm.group(name) is not None)
        c_start, c_end = qm.start(group), qm.end(group)
        after = _POST_AFTER_QUOTE.match(text[qm.end() :])
        if after is not None and after.group("rest").strip():
            cue = after.group("cue")
            cue_pos = qm.end() + after.start("cue")
            speaker = _post_speaker(text, qm.end() + after.end("cue"), base, ctx, cue)
            quotes.append(_make(article_id, sentence, c_start, c_end, cue, cue_pos, True, speaker, ctx))
            used_cues.add(cue_pos)
            continue
        cue_match = next((m for m in reversed(pre_cues) if m.end() <= qm.start()), None)
        if cue_match is None or cue_match.start() in used_cues:
            continue
        gap = text[cue_match.end() : qm.start()]
        speaker = _subject(text, cue_match.start(), base, ctx)
        used_cues.add(cue_match.start())
        cue, cue_pos = cue_match.group(0), cue_match.start()
        if len(gap.split()) <= 1 and gap.strip(" :,") in {"", "bahwa", "that"}:
            quotes.append(_make(article_id, sentence, c_start, c_end, cue, cue_pos, True, speaker, ctx))
        else:
            s, e = _indirect_content(text, cue_match.end())
            quotes.append(_make(article_id, sentence, s, e, cue, cue_pos, False, speaker, ctx))
    return quotes


def _add_reported(
    article_id: str,
    sentence: Sentence,
    ctx: _Context,
    pre_cues: list[re.Match[str]],
    used_cues: set[int],
    quotes: list[Quote],
) -> None:
    """Add reported speech: the words after each cue not yet used, when a subject says them and they are not
    already inside reported content."""
    text = sentence.text
    base = sentence.start
    for cue_match in pre_cues:
        pos = base + cue_match.start()
        if cue_match.start() in used_cues or _inside_quote(text, cue_match.start()):
            continue
        if any(q.content_start <= pos < q.content_end for q in quotes):
            continue  # a cue inside reported content belongs to that content
        s, e = _indirect_content(text, cue_match.end())
        words = len(text[s:e].split())
        cue = cue_match.group(0).lower()
        if (
            words < (2 if cue in DENIAL_CUES else 3)
            or text[cue_match.start() - 5 : cue_match.start()].strip() == "yang"
        ):
            continue
        speaker = _subject(text, cue_match.start(), base, ctx)
        if speaker is None:
            continue
        quotes.append(
            _make(article_id, sentence, s, e, cue_match.group(0), cue_match.start(), False, speaker, ctx)
        )
        used_cues.add(cue_match.start())


def _negated(text: str, pos: int) -> bool:
    return bool(_NEGATION.search(text[max(0, pos - 30) : pos]))


def _inside_quote(text: str, pos: int) -> bool:
    return any(m.start() < pos < m.end() for m in _QUOTE_PAIRS.finditer(text))


def _indirect_content(text: str, start: int) -> tuple[int, int]:
    rest = text[start:]
    skip = re.match(
        r"\s*(?:kepada\s+[^,]{1,60}?\s+(?=bahwa)|to\s+[^,]{1,40}?\s+(?=that))?[\s:,]*(?:bahwa|that)?\s*", rest
    )
    s = start + (skip.end() if skip else 0)
    e = len(text)
    trailing = _TRAILING_ATTRIBUTION.search(text, s)
    if trailing is not None:
        e = trailing.start()
    while e > s and text[e - 1] in " .!?":
        e -= 1
    return s, e


def _subject(text: str, cue_start: int, base: int, ctx: _Context) -> _Speaker | None:
    clause_text = text[:cue_start]
    last_comma = clause_text.rfind(",")
    part_start = last_comma + 1 if last_comma >= 0 else 0
    if not _has_words(clause_text[part_start:]):
        first_comma = clause_text.find(",")
        part_start, part_end = 0, first_comma if first_comma >= 0 else len(clause_text)
    else:
        part_end = len(clause_text)
    segment = clause_text[part_start:part_end]
    lead = len(segment) - len(segment.lstrip())
    stripped = _LEADING.sub("", segment.lstrip())
    s = part_start + lead + (len(segment.lstrip()) - len(stripped))
    words = list(re.finditer(r"\S+", text[s:part_end]))
    end = s
    for k, w in enumerate(words):
        raw = w.group(0).strip(",")
        token = raw.lower()
        if k > 0 and (token in _AUX or (raw.islower() and _VERBISH.match(token))):
            break
        end = s + w.end()
    if end <= s:
        return None
    mention = ctx.mention_at(base + s, base + end)
    span = text[s:end].strip()
    if mention is None and span.lower() in PRONOUNS:
        mention = ctx.resolve_pronoun()
    return _Speaker(base + s, base + end, mention)


def _has_words(segment: str) -> bool:
    words = [w.lower() for w in re.findall(r"\w+", segment)]
    return any(w not in _AUX for w in words)


def _post_speaker(text: str, start: int, base: int, ctx: _Context, cue: str) -> _Speaker | None:
    if cue.lower().endswith("nya") and cue.lower() not in {"menurut"}:
        return _Speaker(base + start - 3, base + start, ctx.resolve_pronoun())
    rest = text[start:]
    lead = len(rest) - len(rest.lstrip())
    end_match = _SPEAKER_END.search(rest, lead)
    end = end_match.start() if end_match else len(rest)
    if end <= lead:
        return None
    s, e = base + start + lead, base + start + end
    mention = ctx.mention_at(s, e)
    if mention is None and text[start + lead : start + end].strip().lower() in PRONOUNS:
        mention = ctx.resolve_pronoun()
    return _Speaker(s, e, mention)


def _attributed(article_id: str, sentence: Sentence, ctx: _Context) -> list[Quote]:
    text, base = sentence.text, sentence.start
    trailing = _TRAILING_ATTRIBUTION.search(text)
    if trailing is not None and len(text[: trailing.start()].split()) >= 4:
        s_start = trailing.start("speaker")
        speaker_end = s_start + len(trailing.group("speaker").rstrip())
        mention = ctx.mention_at(base + s_start, base + speaker_end)
        speaker = _Speaker(base + s_start, base + speaker_end, mention)
        return [_make(article_id, sentence, 0, trailing.start(), trailing.group("cue"), trailing.start("cue"), False,
                      speaker, ctx)]  # fmt: skip
    leading = _LEADING_ATTRIBUTION.match(text)
    if leading is not None:
        s_start, s_end = leading.start("speaker"), leading.end("speaker")
        mention = ctx.mention_at(base + s_start, base + s_end)
        if mention is None and leading.group("speaker").strip().lower() in PRONOUNS:
            mention = ctx.resolve_pronoun()
        speaker = _Speaker(base + s_start, base + s_end, mention)
        c_end = len(text.rstrip(" ."))
        return [_make(article_id, sentence, leading.start("content"), c_end, leading.group("cue"), 0, False,
                      speaker, ctx)]  # fmt: skip
    return []


def _make(
    article_id: str,
    sentence: Sentence,
    c_start: int,
    c_end: int,
    cue: str,
    cue_pos: int,
    direct: bool,
    speaker: _Speaker | None,
    ctx: _Context,
) -> Quote:
    base = sentence.start
    while c_end > c_start and sentence.text[c_end - 1] in " ,;":
        c_end -= 1  # “..., ” kata X: the comma belongs to the attribution
    positions = [base + c_start, base + c_end, base + cue_pos, base + cue_pos + len(cue)]
    if speaker is not None:
        positions += [speaker.start, speaker.end]
    text = sentence.text
    return Quote(
        article=article_id,
        start=min(positions),
        end=max(positions),
        content=text[c_start:c_end],
        content_start=base + c_start,
        content_end=base + c_end,
        cue=cue,
        direct=direct,
        speaker_text=None if speaker is None else text[speaker.start - base : speaker.end - base],
        speaker_start=None if speaker is None else speaker.start,
        speaker_end=None if speaker is None else speaker.end,
        speaker_entity=None,
        speaker_mention=None if speaker is None or speaker.mention is None else speaker.mention.start,
        sentence=sentence.id,
    )
