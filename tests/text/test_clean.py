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
    assert kinds == ["caption", "teaser", "signature"]
    assert found[1][1].startswith("BACA JUGA:")
    assert found[2][1] == "[ka/jm]"
    assert found[0][1].endswith("(Foto: Sputnik/Artem Geodakyan/Pool via Reuters)")


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
        ("Presiden meninjau banjir di Demak. (ANTARA FOTO/Aji Styawan)", "caption"),
    ],
)
def test_clean_paragraph_kinds(text: str, kind: str) -> None:
    body = "Warga kota menyambut festival tahunan dengan antusias pada akhir pekan lalu.\n\n"
    found = _kinds(body + text)
    assert found and found[-1][0] == kind


def test_clean_dateline_and_inline_credit() -> None:
    text = "JAKARTA, KOMPAS.com - Harga beras naik (Foto: Dok. Bulog) di banyak pasar, kata pedagang."
    kinds = [k for k, _ in _kinds(text)]
    assert kinds == ["dateline", "caption"]


def test_clean_ordinary_text_is_untouched() -> None:
    text = "Pemerintah akan menaikkan anggaran pendidikan. Kebijakan itu berlaku tahun depan.\n\nDPR menyetujuinya."
    assert find_boilerplate(text) == []
