"""The brief's faithfulness check on sentences written for these tests."""

from __future__ import annotations

from kabar.compare.faithful import names, number_readings, unsupported


def test_faithful_numbers_in_both_notations() -> None:
    assert 1200.0 in number_readings("1.200") and 1200.0 in number_readings("1,200")
    assert 6.4 in number_readings("6,4")
    assert not [m for m in unsupported("merusak 1.200 rumah", "damaged 1,200 houses") if "1200" in m]


def test_faithful_missing_number_and_name() -> None:
    missing = unsupported(
        "Menurut BNPB, 268 orang meninggal di Cianjur.", "BNPB mencatat 162 orang meninggal."
    )
    assert any("268" in m for m in missing) and "cianjur" in missing and "bnpb" not in missing


def test_faithful_names_skip_sentence_openers_and_outlets() -> None:
    assert names("Gempa mengguncang Cianjur. Warga mengungsi ke Kompas.", skip=["Kompas"]) == {"cianjur"}


def test_faithful_linked_name_in_another_language() -> None:
    assert unsupported("Gempa di Jawa Barat.", "A quake in West Java.", same_names=["Jawa", "Barat"]) == []
