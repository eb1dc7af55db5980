"""A consolidated, extractive brief that says nothing its citations do not say.

The story's disputed figures come first, the main one (most sources, a death toll before a house count) at the
top, each written as a dispute: every value with its outlet, who it is attributed to and the time it holds for,
as the text states them ("Sumber berbeda soal korban meninggal: menurut JPNN.com, 30 orang (BNPB, hingga pukul
21.00 WIB); menurut Tagar.id, 26 orang (Kementerian Sosial)."). Then the facts, ranked by corroboration
(distinct sources), centrality (similarity to the rest of the story) and position (news puts what matters
first); other conflicts always make the brief. Each fact's sentence is a source sentence or a clause of one,
chosen among its members as the one the most members bear out, and it cites only the members that state every
number and name in it (``faithful``). A fact too similar to one already chosen is skipped. Boilerplate and
photo captions are never brief prose.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kabar.claims.keys import label
from kabar.compare.align import Statement
from kabar.compare.clauses import CONNECTIVES
from kabar.compare.faithful import unsupported
from kabar.compare.features import jaccard
from kabar.lang import fold
from kabar.records import BriefSentence, Fact, Figure, FigureClaim, SentenceRef

NAME = "brief.v3"
MAX_SENTENCES = 10
# At most this many disputed figures open the brief, and at most this many values are given for each.
MAX_DISPUTES = 3
MAX_DISPUTE_VALUES = 4
# Which disputed figure is the story's main one, when as many sources give each.
_KEY_ORDER = ("dead", "missing", "injured", "trapped", "displaced", "evacuated", "houses_damaged", "magnitude",
              "passengers", "price", "votes", "vote_share", "score", "depth", "distance")  # fmt: skip
# Two brief candidates repeat each other above this cosine or content-word overlap.
REDUNDANT_COSINE = 0.85
REDUNDANT_OVERLAP = 0.6

_CONFLICT_WORDS = {
    "id": {"number": "angka", "date": "tanggal", "place": "tempat", "speaker": "pembicara", "quote": "kutipan",
           "negation": "penyangkalan"},
    "en": {"number": "number", "date": "date", "place": "place", "speaker": "speaker", "quote": "quote",
           "negation": "denial"},
}  # fmt: skip
_PRONOUNS = frozenset({"ia", "dia", "nya", "beliau", "mereka", "he", "she", "they", "it"})
_CONFLICT_WORDS["id"] |= {"time": "waktu", "status": "status"}
_CONFLICT_WORDS["en"] |= {"time": "time", "status": "status"}


def fact_scores(facts: Sequence[Fact], items: Sequence[Statement], vectors: np.ndarray) -> list[float]:
    index = {s.ref: k for k, s in enumerate(items)}
    centrality = (vectors @ vectors.T).mean(axis=1) if len(items) else np.zeros(0)
    sources = len({s.source for s in items}) or 1
    scores = []
    for fact in facts:
        members = [index[m] for m in fact.members if m in index]
        corroboration = len({items[k].source for k in members}) / sources
        central = float(np.mean([centrality[k] for k in members])) if members else 0.0
        early = 1.0 - min(items[k].position for k in members) if members else 0.0
        conflict = 1.0 if fact.status == "conflict" else 0.0
        scores.append(2.0 * corroboration + 1.0 * central + 0.7 * early + 3.0 * conflict)
    return scores


def write_brief(
    facts: Sequence[Fact],
    items: Sequence[Statement],
    vectors: np.ndarray,
    names: dict[str, str],
    language: str,
    length: int | None = None,
    figures: Sequence[Figure] = (),
    languages: dict[str, str | None] | None = None,
) -> list[BriefSentence]:
    """Choose and render brief sentences: disputed figures first, then facts by importance (``languages``: each
    article's language, for names written differently across languages)."""
    languages = languages or {}
    if not facts:
        return []
    index = _index(items)
    limit = length if length is not None else min(MAX_SENTENCES, max(1, round(len(facts) / 3)))
    texts = {item.sentence.id: item.sentence.text for item in items}
    brief = _disputes(figures, facts, names, language, texts)[: min(MAX_DISPUTES, limit)]
    chosen: list[int] = []
    for fact in sorted(facts, key=lambda f: -f.score):
        if len(brief) >= limit:
            break
        members = [index[m] for m in fact.members if m in index and _prose(items[index[m]])]
        if not members or (fact.conflicts and all(c.kind == "number" for c in fact.conflicts)):
            continue  # a figure dispute is told by its dispute line
        if fact.status == "conflict":
            brief.append(_conflict_sentence(fact, items, index, names, language))
            continue
        rep, cited = _best_supported(members, items, vectors, names, languages)
        if any(
            _redundant(rep, k, items, vectors) or items[rep].sentence.id == items[k].sentence.id
            for k in chosen
        ):
            continue
        chosen.append(rep)
        brief.append(BriefSentence(_text(items[rep]), tuple(items[k].ref for k in cited), fact.id))
    return brief


def _prose(statement: Statement) -> bool:
    """Whether a statement may be brief prose: not boilerplate, not a photo caption."""
    sentence = statement.sentence
    return sentence.boilerplate is None and not getattr(sentence, "caption", False)


def _best_supported(
    members: list[int],
    items: Sequence[Statement],
    vectors: np.ndarray,
    names: dict[str, str],
    languages: dict[str, str | None],
) -> tuple[int, list[int]]:
    """The member whose numbers and names the most other members state, and those members (itself first)."""
    preferred = _representative(members, items, vectors)
    best: tuple[int, list[int]] = (preferred, [preferred])
    for rep in sorted(members, key=lambda k: k != preferred):
        text = _text(items[rep])
        cited = [rep] + [
            k for k in members if k != rep and _states(items[k], text, items[rep], names, languages)
        ]
        if len({items[k].source for k in cited}) > len({items[k].source for k in best[1]}):
            best = (rep, cited)
    return best


def _states(
    member: Statement, text: str, rep: Statement, names: dict[str, str], languages: dict[str, str | None]
) -> bool:
    """Whether a member states every number and name of ``text``; an article in another language states a name
    by naming the same linked entity."""
    same: list[str] = []
    if languages.get(member.article) != languages.get(rep.article):
        entities = {m.entity for m in member.mentions if m.entity}
        same = [w for m in rep.mentions if m.entity in entities for w in m.text.split()]
    return not unsupported(text, member.text, names.values(), same)


def _disputes(
    figures: Sequence[Figure],
    facts: Sequence[Fact],
    names: dict[str, str],
    language: str,
    texts: dict[str, str],
) -> list[BriefSentence]:
    """One dispute line per disputed figure, the main one first (``texts``: sentence id -> text)."""
    disputed = [f for f in figures if f.status in {"disagreement", "correction"}]
    disputed.sort(key=lambda f: (-len({v.article for v in f.values}), _key_rank(f.key)))
    out = []
    for figure in disputed:
        line = _dispute_line(figure, facts, names, language, texts)
        if line is not None:
            out.append(line)
    return out


def _key_rank(key: str) -> int:
    head = key.split(":")[0].split("@")[0]
    return _KEY_ORDER.index(head) if head in _KEY_ORDER else len(_KEY_ORDER)


def _dispute_line(
    figure: Figure, facts: Sequence[Fact], names: dict[str, str], language: str, texts: dict[str, str]
) -> BriefSentence | None:
    """ "Sumber berbeda soal korban meninggal: menurut A, 30 orang (BNPB, hingga pukul 21.00 WIB); menurut B,
    26 orang (Kementerian Sosial)." Each part is checked against its own citation, the lead against all."""
    parts: list[str] = []
    cited: list[SentenceRef] = []
    seen: set[tuple[str, str]] = set()
    for value in figure.values:
        if (value.article, value.text) in seen or len(parts) >= MAX_DISPUTE_VALUES:
            continue
        seen.add((value.article, value.text))
        part = _value_words(value)
        if unsupported(part, texts.get(value.sentence, "")):
            part = value.text  # the attribution or time is not in the sentence as written
        outlet = names.get(value.article, value.article)
        parts.append(f"menurut {outlet}, {part}" if language == "id" else f"{outlet}: {part}")
        cited.append(SentenceRef(value.article, value.sentence))
    if len({c.article for c in cited}) < 2:
        return None
    what = figure.label
    if any(unsupported(what, texts.get(c.sentence, "")) for c in cited):
        what = label(
            figure.key.split(":")[0].split("@")[0], language
        )  # "usia", not a name one source spells otherwise
    if language == "id":
        lead = f"Angka {what} diralat: " if figure.status == "correction" else f"Sumber berbeda soal {what}: "
    else:
        lead = (
            f"The {what} figure was corrected: "
            if figure.status == "correction"
            else f"Sources disagree on the {what}: "
        )
    fact = next((f.id for f in facts if _holds(f, figure.values)), None)
    return BriefSentence(lead + "; ".join(parts) + ".", tuple(cited), fact)


def _value_words(value: FigureClaim) -> str:
    """A value as its text states it, with who it is attributed to and when, in the text's own words."""
    notes = [n for n in (value.attribution, value.time_text) if n and fold(n) not in _PRONOUNS]
    return value.text + (f" ({', '.join(notes)})" if notes else "")


def _holds(fact: Fact, values: tuple[FigureClaim, ...]) -> bool:
    wanted = {(v.article, v.sentence, v.text) for v in values}
    return any((x.article, x.sentence, x.text) in wanted for c in fact.conflicts for x in c.values)


def _text(statement: Statement) -> str:
    """A statement as a brief sentence: the sentence; a clause without its opening conjunction, capitalised."""
    if statement.ref.span is None:
        return statement.sentence.text
    words = statement.text.split()
    if len(words) > 1 and words[0].casefold() in CONNECTIVES:
        words = words[1:]
    text = " ".join(words).rstrip(" ,;:")
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "”", '"')) else text + "."


def _index(items: Sequence[Statement]) -> dict[SentenceRef, int]:
    """Statement of each reference; a clause is also found by its sentence's reference."""
    index = {s.ref: k for k, s in enumerate(items)}
    for k, s in enumerate(items):
        index.setdefault(SentenceRef(s.ref.article, s.ref.sentence), k)
    return index


def _representative(members: list[int], items: Sequence[Statement], vectors: np.ndarray) -> int:
    """The member that reads best for the whole fact: a whole sentence over a clause, then the most central."""
    whole = [k for k in members if items[k].ref.span is None]
    members = whole or members
    if len(members) == 1:
        return members[0]
    sims = vectors[members] @ vectors[members].T
    central = sims.mean(axis=1)
    return members[int(np.argmax(central - 0.01 * np.array([items[k].position for k in members])))]


def _redundant(a: int, b: int, items: Sequence[Statement], vectors: np.ndarray) -> bool:
    if float(vectors[a] @ vectors[b]) >= REDUNDANT_COSINE:
        return True
    return jaccard(items[a].profile.words, items[b].profile.words) >= REDUNDANT_OVERLAP


def _conflict_sentence(
    fact: Fact,
    items: Sequence[Statement],
    index: dict[SentenceRef, int],
    names: dict[str, str],
    language: str,
) -> BriefSentence:
    words = _CONFLICT_WORDS.get(language, _CONFLICT_WORDS["en"])
    conflict = fact.conflicts[0]
    parts = []
    cited = []
    for value in conflict.values[:3]:
        ref = SentenceRef(value.article, value.sentence)
        sentence = items[index[ref]].sentence.text if ref in index else value.text
        source = names.get(value.article, value.article)
        parts.append(f"menurut {source}, “{sentence}”" if language == "id" else f"{source} says “{sentence}”")
        cited.append(ref)
    kind = words.get(conflict.kind, conflict.kind)
    lead = f"Sumber berbeda soal {kind}: " if language == "id" else f"Sources disagree on the {kind}: "
    return BriefSentence(lead + "; ".join(parts) + ".", tuple(cited), fact.id)
