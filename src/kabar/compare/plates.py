"""Number plates across a story: one vehicle's plate written differently by two sources.

Indonesian plates read region letters, up to four digits and up to three letters ("AD 1507 EH", "KT-8534-AJ").
Two sources naming plates that differ in one or two characters ("KT 8534 AJ" / "KT 8543 AJ", "K 1745 AZ" /
"K 1745 CF") name one vehicle differently: the plates of two vehicles in one story share no such likeness. A
source that names both plates itself tells of two vehicles, and is no dispute.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kabar.compare.align import Statement
from kabar.records import Conflict, ConflictValue

NAME = "plates.v1"
# Plates this many characters apart or fewer (after spaces and dashes are dropped) name one vehicle. Two
# vehicles' plates in one story differ in most of their digits; a misreported plate in one or two.
NEAR_PLATE = 2
_PLATE = re.compile(
    r"(?<![\w-])(?P<region>[A-Z]{1,2})[\s-]?(?P<digits>\d{1,4})[\s-]?(?P<tail>[A-Z]{1,3})(?![\w-])"
)
_CUE = re.compile(r"\b(?:nopol|bernopol|nomor polisi|pelat|plat|berpelat|plate|registration)\W*$", re.I)
_NOT_REGION = frozenset({"RT", "RW", "KM", "NO", "PK", "UU", "KA", "KRL", "SK", "PP"})


def plates(text: str) -> list[tuple[str, str]]:
    """(normalised plate, as written) for each number plate of a text: a plate cue before it, or three or
    more digits."""
    out = []
    for match in _PLATE.finditer(text):
        if match.group("region") in _NOT_REGION:
            continue
        if len(match.group("digits")) < 3 and not _CUE.search(text[: match.start()]):
            continue
        out.append((match.group("region") + match.group("digits") + match.group("tail"), match.group()))
    return out


def distance(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def plate_conflicts(items: list[Statement]) -> Iterator[tuple[int, int, Conflict]]:
    """Pairs of statements of two sources naming near plates: (statement, statement, conflict), one per two
    sources and two plates."""
    first: dict[tuple[int, str], tuple[int, str]] = {}  # (source, plate) -> (first statement, as written)
    for k, item in enumerate(items):
        for plate, written in plates(item.text):
            first.setdefault((item.source, plate), (k, written))
    named: dict[int, set[str]] = {}
    for source, plate in first:
        named.setdefault(source, set()).add(plate)
    for (source_a, plate_a), (i, text_a) in first.items():
        for (source_b, plate_b), (j, text_b) in first.items():
            if source_b <= source_a or plate_a == plate_b or distance(plate_a, plate_b) > NEAR_PLATE:
                continue
            if plate_a in named[source_b] or plate_b in named[source_a]:
                continue
            a, b = items[i], items[j]
            values = (
                ConflictValue(a.article, a.ref.sentence, text_a),
                ConflictValue(b.article, b.ref.sentence, text_b),
            )
            yield i, j, Conflict("plate", values)
