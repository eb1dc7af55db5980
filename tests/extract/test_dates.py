from __future__ import annotations

from datetime import date

import pytest

from kabar.extract.dates import extract_dates, reference_from_text
from kabar.text.sentences import split_sentences

REF = date(2023, 9, 13)


def _dates(text: str, ref: date | None = REF) -> list[tuple[str, str | None, str]]:
    return [(d.text, d.value, d.kind) for d in extract_dates("t", split_sentences(text, "t"), ref)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mereka bertemu pada Rabu (13/9).", ("Rabu (13/9)", "2023-09-13", "date")),
        ("Sidang digelar Senin (27/3/2017).", ("Senin (27/3/2017)", "2017-03-27", "date")),
        ("Acara itu berlangsung 13 September 2023.", ("13 September 2023", "2023-09-13", "date")),
        ("Pemilu digelar pada 14 Februari.", ("14 Februari", "2024-02-14", "date")),
        ("Shoigu datang pada bulan Juli.", ("bulan Juli", "2023-07", "period")),
        ("Uji coba berlangsung sejak awal 2022.", ("awal 2022", "2022", "period")),
        ("Rapat dimulai pukul 10.30 WIB.", ("pukul 10.30 WIB", "10:30+07:00", "time")),
        ("Gempa terjadi dua hari lalu.", ("dua hari lalu", "2023-09-11", "date")),
        ("Ia tiba kemarin.", ("kemarin", "2023-09-12", "date")),
        ("Harga naik tahun lalu.", ("tahun lalu", "2022", "date")),
        ("Perang sudah berlangsung 18 bulan.", ("18 bulan", "P18M", "duration")),
        ("Jabat tangan itu berlangsung sekitar 40 detik.", ("sekitar 40 detik", "PT40S", "duration")),
        ("Ia kembali empat tahun setelah kunjungan pertama.", ("empat tahun", "P4Y", "duration")),
        ("The summit took place on September 13, 2023.", ("September 13, 2023", "2023-09-13", "date")),
    ],
)
def test_dates_normalise(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _dates(text)


def test_dates_weekday_alone_resolves_to_the_past_week() -> None:
    assert ("Rabu", "2023-09-13", "date") in _dates("Kantor berita resmi melaporkannya Rabu.")
    assert ("Senin", "2023-09-11", "date") in _dates("Ia tiba pada Senin.")


def test_dates_without_reference_keep_text_but_no_year() -> None:
    found = _dates("Mereka bertemu pada Rabu (13/9) lalu berpisah pada bulan Juli.", ref=None)
    assert ("Rabu (13/9)", "--09-13", "date") in found
    assert ("bulan Juli", "--07", "period") in found


def test_dates_qualifier_on_durations() -> None:
    found = extract_dates("t", split_sentences("Perang sudah berlangsung lebih dari 18 bulan.", "t"), REF)
    assert found[0].value == "P18M" and found[0].qualifier == ">"


def test_dates_since_and_until_are_qualifiers() -> None:
    found = extract_dates("t", split_sentences("Harga naik sejak Maret 2023 hingga Juli.", "t"), REF)
    assert [(d.text, d.value, d.qualifier) for d in found] == [("Maret 2023", "2023-03", "since"),
                                                              ("Juli", "2023-07", "until")]  # fmt: skip


def test_dates_age_is_not_a_duration() -> None:
    assert _dates("Pria berusia 70 tahun itu ditahan.") == []


def test_dates_reference_from_text_picks_latest_full_date() -> None:
    text = "Perjanjian diteken 1 Januari 2020 dan diperbarui 13 September 2023. Sidang 2/3 berikutnya."
    assert reference_from_text(text) == date(2023, 9, 13)
    assert reference_from_text("Tidak ada tanggal di sini.") is None


def test_dates_month_name_as_person_name_is_not_a_date() -> None:
    assert _dates("Juni mengatakan ia lelah.") == []


MONDAY = date(2023, 9, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Menteri PUPR akan meninjau lokasi banjir di Kecamatan Cibeber pada Selasa.",
            ("Selasa", "2023-09-12"),
        ),
        ("Presiden dijadwalkan tiba di Makassar Selasa mendatang.", ("Selasa mendatang", "2023-09-12")),
        ("Sidang lanjutan digelar Kamis pekan depan.", ("Kamis pekan depan", "2023-09-21")),
        ("Rapat itu digelar Jumat pekan lalu.", ("Jumat pekan lalu", "2023-09-08")),
        ("The minister will visit the flooded district on Tuesday.", ("Tuesday", "2023-09-12")),
        ("He said the talks will resume next Tuesday.", ("next Tuesday", "2023-09-12")),
        ("Pengumuman pemenang dilakukan besok.", ("besok", "2023-09-12")),
        ("Pelantikan digelar lusa.", ("lusa", "2023-09-13")),
        ("Rabu lalu ia bertemu Presiden di Istana.", ("Rabu lalu", "2023-09-06")),
        ("Rapat lanjutan digelar Rabu besok di Balai Kota.", ("Rabu besok", "2023-09-13")),
        ("Ia sudah diperiksa penyidik Jumat kemarin.", ("Jumat kemarin", "2023-09-08")),
    ],
)
def test_dates_coming_weekdays_resolve_forward(text: str, expected: tuple[str, str]) -> None:
    assert expected in [(d.text, d.value) for d in extract_dates("t", split_sentences(text, "t"), MONDAY)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Menteri meninjau lokasi banjir pada Selasa.", ("Selasa", "2023-09-05")),
        ("The minister visited the flooded district on Tuesday.", ("Tuesday", "2023-09-05")),
        # the weekday belongs to the saying, not to the coming retirement
        (
            "Kapolri, yang akan pensiun, mengatakan pada Selasa bahwa kasus itu ditutup.",
            ("Selasa", "2023-09-05"),
        ),
    ],
)
def test_dates_past_narrative_weekdays_resolve_backward(text: str, expected: tuple[str, str]) -> None:
    assert expected in [(d.text, d.value) for d in extract_dates("t", split_sentences(text, "t"), MONDAY)]
