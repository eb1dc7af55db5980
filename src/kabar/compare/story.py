"""Conflicts across a story from claims: disputed figures (one fact per figure key) and opposite statuses
("harga Premium naik" against "harga Premium batal naik")."""

from __future__ import annotations

from collections.abc import Sequence

from kabar.claims.extract import NEGATIVE_STATUSES
from kabar.compare.align import Statement
from kabar.compare.facts import figure_conflict
from kabar.compare.figures import disputed_pairs
from kabar.records import Claims, Conflict, ConflictValue, Figure

NAME = "story-conflicts.v1"


def figure_facts(
    figures: Sequence[Figure], items: Sequence[Statement], claims: Sequence[Claims]
) -> list[tuple[list[int], list[Conflict]]]:
    """For each disputed figure: the statements holding the disputed values, and one conflict per pair."""
    source_of = {item.article: item.source for item in items}
    holder: dict[tuple[str, int], int] = {}
    for k, c in enumerate(claims):
        for f in c.figures:
            holder.setdefault((f.article, f.start), k)
    out = []
    for figure in figures:
        if figure.status not in {"disagreement", "correction"}:
            continue
        pairs = disputed_pairs(figure, source_of)
        if not pairs:
            continue
        members = sorted({holder[(v.article, v.start)] for pair in pairs for v in pair})
        out.append((members, [figure_conflict(a, b) for a, b in pairs]))
    return out


def status_conflicts(a: Statement, b: Statement, ca: Claims, cb: Claims) -> list[Conflict]:
    """A cancellation, postponement or denial in one statement against the same thing stated plainly in the
    other: the status's target word ("naik" of "batal naik") is among the other's content words, which carry
    no such status."""
    for x, y, cx, cy in ((a, b, ca, cb), (b, a, cb, ca)):
        negative = [s for s in cx.statuses if s.status in NEGATIVE_STATUSES]
        if not negative or any(s.status in NEGATIVE_STATUSES for s in cy.statuses):
            continue
        for status in negative:
            target = status.target.split()[:1]
            if target and target[0] in y.profile.words:
                first = ConflictValue(x.article, x.ref.sentence, status.cue + " " + status.target)
                second = ConflictValue(y.article, y.ref.sentence, _word_in(y, target[0]))
                pair = (first, second) if x is a else (second, first)
                return [Conflict("status", pair)]
    return []


def _word_in(statement: Statement, root: str) -> str:
    from kabar.compare.features import content_word

    for word in statement.text.split():
        if content_word(word.strip('.,;:"“”')) == root:
            return word.strip('.,;:"“”')
    return root
