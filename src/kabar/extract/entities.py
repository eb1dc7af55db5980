"""Rule- and gazetteer-based entity mentions (PER, ORG, LOC, MISC).

Capitalised runs are cut into names by the gazetteer, by titles ("Presiden", "Sekretaris Jenderal") and by
organisation and place heads ("Kementerian ...", "... Cosmodrome"); what is left is typed from its context.
A mention whose type cannot be told yet is ``UNK`` and gets its type from the entity it links to.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kabar.lang import (
    Token,
    completes_title,
    fold,
    gazetteer,
    gazetteer_max_len,
    is_common_word,
    tokenize,
    word_lists,
)
from kabar.records import Mention, Sentence

NAME = "entities.rules.v1"

_CONNECTORS = frozenset(
    {"bin", "binti", "van", "von", "der", "de", "da", "del", "al", "el", "la", "le", "du"}
)
_OPENERS = frozenset({"“", '"', "‘", "'", "(", "[", "«", "—", "–", "-"})
_MAX_PHRASE = 5


@dataclass(slots=True)
class _Segment:
    tokens: list[Token]
    type: str
    origin: str
    """How the type was found: gazetteer, head, title, or context (from the words around it)."""


def known_capitals(text: str, sentences: Sequence[Sentence]) -> frozenset[str]:
    """Words written capitalised in the middle of a sentence and never in lower case: names in this article.

    An ordinary word ("Kim" is also an Indonesian word) counts only when it is capitalised at least twice.
    """
    capital: Counter[str] = Counter()
    lower: set[str] = set()
    for sentence in sentences:
        if sentence.boilerplate or sentence.is_title:
            continue
        tokens = tokenize(sentence.text)
        for i, token in enumerate(tokens):
            word = token.text
            if not word[:1].isalpha():
                continue
            if word[:1].isupper():
                if i > 0 and tokens[i - 1].text not in _OPENERS and tokens[i - 1].text not in ".!?:":
                    capital[fold(word)] += 1
            else:
                lower.add(fold(word))
    return frozenset(w for w, n in capital.items() if w not in lower and (n >= 2 or not is_common_word(w)))


def extract_mentions(
    article_id: str, sentences: Iterable[Sentence], known: frozenset[str] = frozenset()
) -> list[Mention]:
    """Find entity mentions in the sentences of one article that state facts (prose and photo captions)."""
    mentions: list[Mention] = []
    for sentence in sentences:
        if not sentence.states_facts:
            continue
        mentions.extend(_sentence_mentions(article_id, sentence, known))
    return mentions


def _is_capitalised(word: str) -> bool:
    if word[:1].isupper():
        return True
    return any(c.isdigit() for c in word) and any(c.isupper() for c in word)


def _title_case(tokens: Sequence[Token]) -> bool:
    words = [t.text for t in tokens if t.text[:1].isalpha()]
    return len(words) >= 4 and sum(1 for w in words if w[:1].isupper()) / len(words) > 0.6


def _phrase_at(tokens: Sequence[Token], i: int, phrases: frozenset[str]) -> int:
    """Length of the longest phrase of ``phrases`` starting at token i (0 if none)."""
    best = 0
    for n in range(1, min(_MAX_PHRASE, len(tokens) - i) + 1):
        if " ".join(fold(t.text) for t in tokens[i : i + n]) in phrases:
            best = n
    return best


def _gazetteer_at(tokens: Sequence[Token], i: int) -> tuple[int, str]:
    gaz = gazetteer()
    for n in range(min(gazetteer_max_len(), len(tokens) - i), 0, -1):
        key = tuple(fold(t.text) for t in tokens[i : i + n])
        entry = gaz.get(key)
        if entry is None:
            continue
        if entry.exact is not None and "".join(t.text for t in tokens[i : i + n]) != entry.exact.replace(
            " ", ""
        ):
            continue
        return n, entry.type
    return 0, ""


def _starts_name(tokens: Sequence[Token], i: int, words: dict[str, frozenset[str]]) -> bool:
    return bool(
        _gazetteer_at(tokens, i)[0]
        or _phrase_at(tokens, i, words["title"])
        or _phrase_at(tokens, i, words["org_head"])
        or _phrase_at(tokens, i, words["loc_head"])
    )


def _sentence_mentions(article_id: str, sentence: Sentence, known: frozenset[str]) -> list[Mention]:
    words = word_lists()
    tokens = tokenize(sentence.text, sentence.start)
    title_case = sentence.is_title or _title_case(tokens)
    caps = [False] * len(tokens)
    for i, token in enumerate(tokens):
        word = token.text
        if not _is_capitalised(word) or not word[:1].isalnum():
            continue
        initial = i == 0 or (i <= 2 and all(t.text in _OPENERS for t in tokens[:i]))
        ordinary = fold(word) not in known and is_common_word(word)
        if (initial or title_case) and ordinary and not _starts_name(tokens, i, words):
            continue
        caps[i] = True
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        if not caps[i]:
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            if caps[j]:
                j += 1
            elif fold(tokens[j].text) in _CONNECTORS and j + 1 < len(tokens) and caps[j + 1]:
                j += 2
            else:
                break
        for segment in _segment(tokens[i:j], words, known):
            mention = _to_mention(article_id, sentence, tokens, segment, words, known)
            if mention is not None:
                mentions.extend(_split_compound(mention))
        i = j
    return mentions


def _segment(run: list[Token], words: dict[str, frozenset[str]], known: frozenset[str]) -> list[_Segment]:
    segments: list[_Segment] = []
    leftover: list[Token] = []
    after_title = False

    def flush() -> None:
        nonlocal after_title
        if leftover:
            segments.append(
                _Segment(
                    list(leftover), "PER" if after_title else "UNK", "title" if after_title else "context"
                )
            )
            leftover.clear()
            after_title = False

    i = 0
    while i < len(run):
        head = max(_phrase_at(run, i, words["org_head"]), _phrase_at(run, i, words["loc_head"]))
        if head and i + head < len(run):
            flush()
            head_type = "ORG" if _phrase_at(run, i, words["org_head"]) >= head else "LOC"
            j = i + head
            while j < len(run) and not _phrase_at(run, j, words["title"]):
                j += 1
            segments.append(_Segment(run[i:j], head_type, "head"))
            i = j
            continue
        n, gaz_type = _gazetteer_at(run, i)
        if n:
            flush()
            segments.append(_Segment(run[i : i + n], gaz_type, "gazetteer"))
            i += n
            continue
        title = _phrase_at(run, i, words["title"])
        # "Pak" before a single name is an honorific; before two or more it is a (Korean) family name.
        if title and not (fold(run[i].text) in {"pak", "bu"} and len(run) - i > 2):
            flush()
            i += title
            while i < len(run) and completes_title(run[i].text):
                if _gazetteer_at(run, i)[0]:
                    break
                i += 1
            after_title = True
            continue
        leftover.append(run[i])
        i += 1
    flush()
    return segments


def _to_mention(
    article_id: str,
    sentence: Sentence,
    tokens: Sequence[Token],
    segment: _Segment,
    words: dict[str, frozenset[str]],
    known: frozenset[str],
) -> Mention | None:
    toks = segment.tokens
    texts = [t.text for t in toks]
    if all(fold(w) in words["not_entity"] for w in texts):
        return None
    if segment.type == "UNK" and all(
        is_common_word(w) and not w.isupper() and fold(w) not in known for w in texts
    ):
        return None
    if len(texts) == 1 and len(texts[0]) < 2:
        return None
    type_, origin = segment.type, segment.origin
    if type_ == "UNK":
        type_, origin = _type_from_context(tokens, toks, words)
    start, end = toks[0].start, toks[-1].end
    text = sentence.text[start - sentence.start : end - sentence.start]
    if text.lower().endswith("-nya"):
        end -= 4
        text = text[:-4]
    return Mention(article=article_id, start=start, end=end, text=text, type=type_, origin=origin)


def _type_from_context(
    tokens: Sequence[Token], seg: list[Token], words: dict[str, frozenset[str]]
) -> tuple[str, str]:
    """The type of an untyped name from the words around it, and whether that evidence is strong ("cue")."""
    texts = [t.text for t in seg]
    if any(any(c.isdigit() for c in w) for w in texts):
        return "MISC", "context"
    last = fold(texts[-1])
    if last in words["org_suffix"]:
        return "ORG", "head"
    if last in words["loc_suffix"]:
        return "LOC", "head"
    first = bisect.bisect_left(tokens, seg[0].start, key=lambda t: t.start)
    before = [fold(t.text) for t in tokens[max(0, first - 4) : first]]
    for n in (3, 2, 1):
        phrase = " ".join(before[-n:])
        if len(before) >= n and phrase in words["person_cue"]:
            return "PER", "cue"
    if any(
        " ".join(before[k:]) in words["org_cue"] or before[k] in words["org_cue"] for k in range(len(before))
    ):
        return "ORG", "context"
    loc_cue = bool(before) and (before[-1] in words["loc_cue"] or " ".join(before[-2:]) in words["loc_cue"])
    # "ke"/"dari" also go before people ("kepada Putin", "dari Kim"): trust them for single names only.
    if loc_cue and (before[-1] not in {"ke", "dari", "to", "from"} or len(texts) == 1):
        return "LOC", "context"
    after = [t.text for t in tokens[first + len(seg) : first + len(seg) + 3]]
    if len(after) == 3 and after[0] == "," and after[1].isdigit() and after[2] in {",", ")"}:
        return "PER", "cue"
    # An appositive that names a role: "Shoigu, menteri pertahanan Rusia, ..."
    if len(after) >= 2 and after[0] == "," and fold(after[1]) in words["person_cue"]:
        return "PER", "cue"
    if len(texts) == 1 and texts[0].isupper() and len(texts[0]) >= 2:
        return "ORG", "context"
    return ("PER" if len(texts) > 1 else "UNK"), "context"


def _split_compound(mention: Mention) -> list[Mention]:
    """ "Korea-Rusia" is two places, not one name."""
    if "-" not in mention.text or " " in mention.text:
        return [mention]
    parts = mention.text.split("-")
    gaz = gazetteer()
    if len(parts) < 2 or not any((fold(p),) in gaz for p in parts) or not all(p[:1].isupper() for p in parts):
        return [mention]
    out = []
    pos = mention.start
    for part in parts:
        entry = gaz.get((fold(part),))
        out.append(
            Mention(
                mention.article,
                pos,
                pos + len(part),
                part,
                entry.type if entry else "LOC",
                origin="gazetteer",
            )
        )
        pos += len(part) + 1
    return out
