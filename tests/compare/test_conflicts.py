"""The conflict checks on hand-built statements: numbers with qualifiers, durations, dates, negation."""

from __future__ import annotations

from kabar.compare.align import Statement
from kabar.compare.conflicts import find_conflicts
from kabar.compare.features import profile
from kabar.records import DateRef, Quantity, Sentence, SentenceRef


def statement(
    article: str,
    text: str,
    quantities: tuple[Quantity, ...] = (),
    dates: tuple[DateRef, ...] = (),
    source: int = 0,
) -> Statement:
    sentence = Sentence(article, f"{article}:s1", 0, len(text), text, 0)
    return Statement(
        SentenceRef(article, sentence.id), sentence, source, 0.0, profile(text), (), (), quantities, dates
    )


def count(
    article: str, text: str, phrase: str, value: float, unit: str, qualifier: str | None = None
) -> Quantity:
    start = text.index(phrase)
    return Quantity(article, start, start + len(phrase), phrase, value, unit, "count", qualifier)


def victims(article: str, value: float, qualifier: str | None = None, words: str = "") -> Statement:
    text = f"Banjir di Bekasi menewaskan {words}{value:g} orang warga, kata petugas."
    phrase = f"{words}{value:g} orang"
    return statement(
        article, text, (count(article, text, phrase, value, "orang", qualifier),), source=ord(article[0])
    )


def test_conflicts_different_counts_of_one_thing() -> None:
    (found,) = find_conflicts(victims("a", 8), victims("b", 18), same_fact=True)
    assert found.kind == "number" and [v.text for v in found.values] == ["8 orang", "18 orang"]
    assert [v.article for v in found.values] == ["a", "b"]


def test_conflicts_qualified_counts_that_fit_agree() -> None:
    assert find_conflicts(victims("a", 18, ">", "lebih dari "), victims("b", 24), same_fact=True) == []
    assert find_conflicts(victims("a", 8), victims("b", 8), same_fact=True) == []
    (found,) = find_conflicts(victims("a", 18, "<", "kurang dari "), victims("b", 24), same_fact=True)
    assert found.kind == "number"


def test_conflicts_counts_of_different_things_do_not_clash() -> None:
    a = victims("a", 8)
    text = "Banjir di Bekasi merendam 120 rumah warga, kata petugas."
    b = statement("b", text, (count("b", text, "120 rumah", 120, "rumah"),), source=1)
    assert find_conflicts(a, b, same_fact=True) == []


def test_conflicts_dates_of_one_event() -> None:
    def dated(article: str, day: str, value: str) -> Statement:
        text = f"Banjir melanda Bekasi pada {day}."
        start = text.index(day)
        return statement(article, text, dates=(DateRef(article, start, start + len(day), day, value, "date"),),
                         source=ord(article))  # fmt: skip

    (found,) = find_conflicts(dated("a", "Senin (4/3/2024)", "2024-03-04"), dated("b", "Selasa (5/3/2024)", "2024-03-05"),
                              same_fact=True)  # fmt: skip
    assert found.kind == "date"
    same = find_conflicts(
        dated("a", "Senin (4/3/2024)", "2024-03-04"), dated("b", "4 Maret", "2024-03-04"), True
    )
    assert same == []
