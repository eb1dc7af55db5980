"""Number plates across a story, on statements built from hand-written articles."""

from __future__ import annotations

from kabar.compare.align import statements
from kabar.compare.plates import distance, plate_conflicts, plates
from kabar.pipeline import annotate
from kabar.records import Article


def test_plates_are_read_and_compared_by_their_characters() -> None:
    assert plates("Truk bernomor polisi KT-8534-AJ itu menabrak 14 sepeda motor.") == [
        ("KT8534AJ", "KT-8534-AJ")
    ]
    assert plates("Warga RT 02 RW 05 dan siswa SMK 1 PGRI mengungsi.") == []
    assert distance("KT8534AJ", "KT8543AJ") == 2 and distance("K1745AZ", "B9012XY") > 2


def _items(*texts: str):  # type: ignore[no-untyped-def]
    docs = [Article(id=f"a{k}", text=t, published="2022-01-21T10:00:00+07:00") for k, t in enumerate(texts)]
    return statements(annotate(docs).articles, [])


def test_near_plates_of_two_sources_dispute_and_far_ones_are_two_vehicles() -> None:
    found = list(
        plate_conflicts(
            _items(
                "Truk bernomor polisi KT 8534 AJ itu menabrak belasan kendaraan di simpang Muara Rapak.",
                "Sopir truk bernomor polisi KT 8543 AJ itu sudah diamankan polisi di simpang Muara Rapak.",
                "Sebuah mobil bernomor polisi B 1234 XY ikut tertabrak truk di simpang Muara Rapak.",
            )
        )
    )
    assert [tuple(v.text for v in c.values) for _, _, c in found] == [("KT 8534 AJ", "KT 8543 AJ")]


def test_a_source_naming_both_plates_tells_of_two_vehicles() -> None:
    found = plate_conflicts(
        _items(
            "Bus bernopol K 1745 AZ menyalip bus bernopol K 1745 CF sebelum masuk jurang di Sarangan.",
            "Bus bernopol K 1745 CF masuk jurang di jalur Cemoro Sewu, Sarangan, Magetan.",
        )
    )
    assert list(found) == []
