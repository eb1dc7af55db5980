from __future__ import annotations

import pytest

from kabar.text.clean import find_boilerplate
from tests.conftest import SEED_A, SEED_B


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in find_boilerplate(text)]


def test_clean_seed_a_teaser_caption_signature() -> None:
    text = SEED_A.read_text(encoding="utf-8")
    found = _kinds(text)
    kinds = [k for k, _ in found]
    assert kinds == ["caption", "credit", "teaser", "signature"]
    assert found[0][1].endswith("pada 13 September 2023.")  # the caption states facts; its credit is apart
    assert found[1][1] == "(Foto: Sputnik/Artem Geodakyan/Pool via Reuters)"
    assert found[2][1].startswith("BACA JUGA:")
    assert found[3][1] == "[ka/jm]"


def test_clean_seed_b_contributor_paragraph() -> None:
    text = SEED_B.read_text(encoding="utf-8")
    found = _kinds(text)
    assert [k for k, _ in found] == ["byline"]
    assert found[0][1].startswith("—Litvinova melaporkan dari Tallinn")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Baca juga: Harga BBM Naik Lagi", "teaser"),
        ("Editor: Rina Suryani", "credit"),
        ("Penulis: Agus Salim | Editor: Budi", "credit"),
        ("Jim Heintz melaporkan dari Moskow.", "byline"),
        ("ADVERTISEMENT", "prompt"),
        ("Presiden meninjau banjir di Demak. (ANTARA FOTO/Aji Styawan)", "credit"),
        # Web furniture of Indonesian news pages (shapes seen on Kompas, Tempo, JPNN, Tribun, Kompas TV, Tagar).
        ("Baca berita tanpa iklan. Gabung Kompas.com+", "prompt"),
        ("Berikut update terkini jumlah pengungsi di Kabupaten Lebak:", "prompt"),
        ("Simak berita lainnya hanya di Tagar.id.", "prompt"),
        ("Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.", "prompt"),
        ("Ikuti kami di Google News untuk kabar terbaru.", "prompt"),
        (
            "Artikel ini telah tayang di Tribunnews.com dengan judul Banjir Rendam 300 Rumah di Lebak.",
            "prompt",
        ),
        ("Gabung ke Channel WhatsApp KompasTV untuk update berita terbaru dan terpercaya.", "prompt"),
        ("Download aplikasi kami di Play Store dan App Store.", "prompt"),
        ("Simak Video Pilihan Berikut Ini:", "prompt"),
        ("Editor | : | Panji Nugraha |", "credit"),
        ("Redaktur & Reporter : Fajar Hermawan", "credit"),
        ("Laporan Wartawan Tribunnews.com, Ilham Pratama", "credit"),
        ("Kompas.com - 11/04/2016, 10:41 WIB", "credit"),
        ("Reporter: Wuwun Nafsiah | Editor: Yudho Winarto", "credit"),
    ],
)
def test_clean_paragraph_kinds(text: str, kind: str) -> None:
    body = "Warga kota menyambut festival tahunan dengan antusias pada akhir pekan lalu.\n\n"
    found = _kinds(body + text)
    assert found and found[-1][0] == kind


def test_clean_dateline_and_inline_credit() -> None:
    text = "JAKARTA, KOMPAS.com - Harga beras naik (Foto: Dok. Bulog) di banyak pasar, kata pedagang."
    kinds = [k for k, _ in _kinds(text)]
    assert kinds == ["dateline", "credit"]


@pytest.mark.parametrize(
    ("paragraph", "caption", "credit"),
    [
        (
            "Petugas mengevakuasi korban kecelakaan bus di Kecamatan Wado, Sumedang. Foto: Bagus Rizaldi/ANTARA",
            "Petugas mengevakuasi korban kecelakaan bus di Kecamatan Wado, Sumedang.",
            "Foto: Bagus Rizaldi/ANTARA",
        ),
        (
            "Bus peziarah terjun ke jurang di Wado, Rabu (10/3/2021) malam. (Sumber: Dok. Warga/KOMPAS.com)",
            "Bus peziarah terjun ke jurang di Wado, Rabu (10/3/2021) malam.",
            "(Sumber: Dok. Warga/KOMPAS.com)",
        ),
        (
            "Former minister Johnny Plate appears at the Jakarta court on Nov. 1, 2023. (Antara Photo/M. Adimaja)",
            "Former minister Johnny Plate appears at the Jakarta court on Nov. 1, 2023.",
            "(Antara Photo/M. Adimaja)",
        ),
    ],
)
def test_clean_caption_and_its_credit(paragraph: str, caption: str, credit: str) -> None:
    body = "Warga kota menyambut festival tahunan dengan antusias pada akhir pekan lalu.\n\n"
    assert _kinds(body + paragraph) == [("caption", caption), ("credit", credit)]


def test_clean_credit_label_on_its_own_line_takes_the_name_beside_it() -> None:
    text = (
        "Fabian Kuwado\n\nPenulis\n\nBREBES, KOMPAS.com - Presiden meninjau jalan tol.\n\nReporter\n\nDias P"
    )
    assert [k for k, _ in _kinds(text)] == ["credit", "credit", "dateline", "credit", "credit"]


def test_clean_long_single_line_opening_with_a_teaser_keeps_the_rest() -> None:
    text = "Baca juga: Harga Beras Naik. " + "Pemerintah menambah stok beras di pasar induk. " * 30
    found = _kinds(text)
    assert found == [("teaser", "Baca juga: Harga Beras Naik.")]


def test_clean_prose_that_starts_like_a_prompt_is_untouched() -> None:
    for text in (
        "Iklan rokok dilarang tayang di televisi sebelum pukul 21.30.",
        "Tutup usia, ia dimakamkan di Solo.",
    ):
        assert find_boilerplate(text) == []


def test_clean_ordinary_text_is_untouched() -> None:
    text = "Pemerintah akan menaikkan anggaran pendidikan. Kebijakan itu berlaku tahun depan.\n\nDPR menyetujuinya."
    assert find_boilerplate(text) == []
