from __future__ import annotations

import pytest

from kabar.extract.numbers import extract_quantities, parse_number
from kabar.records import Mention
from kabar.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("dua", 2), ("sebelas", 11), ("dua belas", 12), ("dua puluh lima", 25), ("seratus dua puluh", 120),
        ("seribu lima ratus", 1500), ("tiga ribu", 3000), ("dua juta", 2_000_000), ("setengah juta", 500_000),
        ("1.500", 1500), ("5,75", 5.75), ("1.250.000", 1_250_000), ("twenty five", 25), ("one hundred twenty", 120),
    ],
)  # fmt: skip
def test_numbers_parse(raw: str, value: float) -> None:
    assert parse_number(raw) == value


def test_numbers_parse_english_notation() -> None:
    assert parse_number("1,500", english=True) == 1500
    assert parse_number("3.5", english=True) == 3.5


def _q(text: str, mentions: list[Mention] | None = None) -> list[tuple[str, float | None, str | None, str]]:
    found = extract_quantities("t", split_sentences(text, "t"), [], mentions or [])
    return [(q.text, q.value, q.unit, q.kind) for q in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Korea Utara menembakkan dua misil balistik ke laut.", ("dua misil balistik", 2, "misil balistik", "count")),
        ("Korea Utara mungkin memiliki puluhan juta cangkang artileri.",
         ("puluhan juta cangkang artileri", 10_000_000, "cangkang artileri", "count")),
        ("Inflasi naik lima persen.", ("lima persen", 5, "%", "percent")),
        ("Inflasi naik 2,5%.", ("2,5%", 2.5, "%", "percent")),
        ("Proyek itu bernilai Rp 45 miliar.", ("Rp 45 miliar", 45_000_000_000, "IDR", "money")),
        ("Jembatan sepanjang 120 meter itu diresmikan.", ("120 meter", 120, "m", "measure")),
        ("Sebanyak 300 warga mengungsi.", ("Sebanyak 300 warga", 300, "warga", "count")),
    ],
)  # fmt: skip
def test_numbers_quantities(text: str, expected: tuple[str, float, str, str]) -> None:
    assert expected in _q(text)


def test_numbers_no_number_inside_words() -> None:
    assert _q("Putin mengajak Kim ke tempat peluncuran dan kedua negara bekerja sama.") == []


def test_numbers_qualifier() -> None:
    found = extract_quantities("t", split_sentences("Lebih dari 300 rumah rusak.", "t"), [], [])
    assert found[0].value == 300 and found[0].qualifier == ">"


def test_numbers_age_after_person() -> None:
    text = "Setelah tur itu, Putin, 70, dan Kim, 39, berbicara."
    mentions = [Mention("t", 17, 22, "Putin", "PER"), Mention("t", 32, 35, "Kim", "PER")]
    found = extract_quantities("t", split_sentences(text, "t"), [], mentions)
    ages = [(q.value, q.of, q.kind) for q in found]
    assert ages == [(70, "Putin", "age"), (39, "Kim", "age")]
