"""Figure claims from sentences written for these tests (Indonesian and English): key, value, range, role,
attribution and time."""

from __future__ import annotations

import pytest

from kabar.claims.extract import statement_claims
from kabar.claims.figures import figure_claims
from kabar.pipeline import annotate
from kabar.records import AnnotatedArticle, Article, FigureClaim

PUBLISHED = "2024-03-04T10:00:00+07:00"  # a Monday


def claims_of(text: str, language_hint: str = "") -> list[FigureClaim]:
    doc = _doc(text)
    return [c for s in doc.sentences for c in figure_claims(doc, s)]


def _doc(text: str) -> AnnotatedArticle:
    annotation = annotate([Article(id="t", text=text, published=PUBLISHED)])
    return annotation.articles[0]


def keyed(text: str) -> dict[str, FigureClaim]:
    return {c.key: c for c in claims_of(text) if c.role == "value"}


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("Sedikitnya 14 orang meninggal dunia akibat banjir bandang di Agam.", "dead", 14),
        ("Banjir bandang itu menewaskan 14 orang warga Agam.", "dead", 14),
        ("Jumlah korban meninggal akibat longsor bertambah menjadi 27 orang.", "dead", 27),
        ("The flash flood killed 14 people in Agam district.", "dead", 14),
        ("The death toll rose to 27 on Tuesday, officials said.", "dead", 27),
        ("Sebanyak 9 warga masih hilang dan tim SAR terus mencari.", "missing", 9),
        ("Sekitar 1.500 warga mengungsi ke balai desa.", "displaced", 1500),
        ("Tercatat 320 rumah rusak berat di tiga kecamatan.", "houses_damaged:heavy", 320),
        ("The quake damaged 1,200 houses in the region.", "houses_damaged", 1200),
        ("Gempa bermagnitudo 6,1 mengguncang Pasaman Barat.", "magnitude", 6.1),
        ("A magnitude 6.1 earthquake struck West Pasaman.", "magnitude", 6.1),
        ("Pusat gempa berada pada kedalaman 12 kilometer.", "depth", 12),
        ("Harga Pertamax naik menjadi Rp 13.900 per liter.", "price:pertamax", 13900),
        ("Banjir lahar itu menelan empat korban jiwa di Agam.", "dead", 4),
        ("Sebanyak 12 orang masih dicari tim SAR gabungan.", "missing", 12),
        ("Bus itu membawa 66 penumpang dari Subang.", "passengers", 66),
        ("Pesawat membawa 50 penumpang dan 12 kru yang terdiri dari 43 dewasa.", "adults", 43),
        (
            "Menteri menyebut Solar subsidi naik dari Rp 5.150 menjadi Rp 6.800 per liter.",
            "price:solar",
            6800,
        ),
        ("Gunung itu memiliki ketinggian 2.891 meter di atas permukaan laut.", "height", 2891),
    ],
)
def test_figures_key_and_value(text: str, key: str, value: float) -> None:
    found = keyed(text)
    assert key in found, [(c.key, c.text) for c in claims_of(text)]
    assert found[key].value == pytest.approx(value)


def test_figures_two_products_have_two_keys() -> None:
    found = keyed("Harga Pertamax naik menjadi Rp 13.900 per liter, sedangkan harga Solar tetap Rp 6.800.")
    assert found["price:pertamax"].value == 13900 and found["price:solar"].value == 6800


def test_figures_old_price_is_previous() -> None:
    claims = claims_of("Harga Pertamax naik dari Rp 12.500 menjadi Rp 13.900 per liter.")
    roles = {c.value: c.role for c in claims}
    assert roles == {12500: "previous", 13900: "value"}


def test_figures_part_of_a_whole_is_not_a_value_of_the_whole() -> None:
    claims = claims_of("Sebanyak 13 mobil rusak, 10 di antaranya mobil dinas.")
    assert all(not c.key.startswith("count:mobil") or c.value == 13 for c in claims)
    assert not [c for c in claims if c.value == 10 and c.role == "value" and not c.key.startswith("~")]


def test_figures_range_and_about() -> None:
    growth = claims_of("Ekonom memperkirakan pertumbuhan 6–7 persen tahun ini.")
    ranged = [c for c in growth if c.unit == "%"]
    assert len(ranged) == 1 and (ranged[0].low, ranged[0].high) == (6, 7)
    about = claims_of("Pertumbuhan diperkirakan sekitar 7 persen tahun ini.")
    assert [c.qualifier for c in about if c.unit == "%"] == ["~"]


def test_figures_score_of_named_teams() -> None:
    claims = [
        c for c in claims_of("Persib menang 3-2 atas Persija di Bandung.") if c.key.startswith("score:")
    ]
    assert sorted(c.value or 0 for c in claims) == [2, 3]
    assert len({c.key for c in claims}) == 2


def test_figures_coordinate_is_not_a_figure() -> None:
    assert not [
        c for c in claims_of("Pusat gempa berada di 0.12 LS dan 99.98 BT.") if c.value in (0.12, 99.98)
    ]


def test_figures_attribution() -> None:
    assert keyed("Menurut BNPB, 14 orang meninggal dunia.")["dead"].attribution == "BNPB"
    assert keyed("BNPB mencatat 14 orang meninggal dunia.")["dead"].attribution == "BNPB"
    assert keyed("Sebanyak 14 orang meninggal dunia, kata Kapolri Listyo Sigit.")["dead"].attribution


def test_figures_counter_not_linked_as_a_name() -> None:
    def counter(text: str) -> set[str | None]:
        return {c.attribution for c in claims_of(text) if c.value in (50.11, 49.87, 49.86)}

    aside = "Lingkaran Survei Pratama (LSP), dengan suara masuk 76,57 persen, mencatat Budi-Ani 50,11 persen."
    assert counter(aside) == {"Lingkaran Survei Pratama"}
    assert counter("Indikator pada pukul 20.29 WIB mencatat Budi-Ani 49,87 persen.") == {"Indikator"}
    assert counter("Sementara hitung cepat Indikator menempatkan Budi-Ani di 49,86 persen.") == {"Indikator"}
    assert counter("Inflasi tahunan naik menjadi 49,86 persen.") == {None}


def test_figures_time_stated_as_of_else_published() -> None:
    stated = keyed("Hingga pukul 19.34 WIB, 62 orang meninggal dunia.")["dead"]
    assert stated.time_origin == "stated" and stated.time is not None and "T19:34" in stated.time
    plain = keyed("Banjir pada Minggu (3/3/2024) menewaskan 62 orang.")["dead"]
    assert plain.time_origin == "published" and plain.time == PUBLISHED


def test_figures_hedged_and_corrected() -> None:
    assert keyed("Bupati menyebut 162 orang meninggal, namun angka itu belum diverifikasi.")["dead"].hedged
    assert keyed("BNPB meralat jumlah korban meninggal menjadi 58 orang.")["dead"].corrected


def test_claims_status_of_a_cancelled_rise() -> None:
    doc = _doc("Kenaikan harga Premium batal naik hari ini.")
    sentence = next(s for s in doc.sentences if "batal" in s.text)
    statuses = statement_claims(doc, sentence).statuses
    assert [(s.status, s.target) for s in statuses] == [("cancelled", "naik")]


def test_figures_telephone_numbers_and_plates_are_not_figures() -> None:
    claims = claims_of(
        "Keluarga penumpang dapat menghubungi hotline 021-806 378 17. Bus bernomor polisi T 7591 TB."
    )
    assert [c.text for c in claims if not c.key.startswith("~")] == []


def test_figures_a_becomes_b_makes_a_previous() -> None:
    claims = claims_of("Solar subsidi Rp 5.150 menjadi Rp 6.800 per liter, kata menteri.")
    assert {c.value: c.role for c in claims} == {5150: "previous", 6800: "value"}


def test_figures_hour_of_an_event_but_not_an_as_of_hour() -> None:
    hours = [c for c in claims_of("Gempa terjadi pukul 19.57 WIB. Hingga pukul 21.00 WIB, 30 orang meninggal.")
             if c.key.startswith("time:")]  # fmt: skip
    assert [(c.key, c.text, c.value) for c in hours] == [("time:jadi", "pukul 19.57 WIB", 19 * 60 + 57)]


def test_figures_weekday_given_for_a_date() -> None:
    days = [
        c
        for c in claims_of("Harga baru berlaku Rabu, 1 September 2022 pukul 14.30 WIB.")
        if c.key.startswith("weekday:")
    ]
    assert [(c.key, c.value) for c in days] == [("weekday:2022-09-01", 2.0)]


def test_figures_age_in_brackets_after_a_name() -> None:
    ages = [
        c
        for c in claims_of("Pemandu perjalanan Elmufida Ullya (22) asal Colomadu meninggal dunia.")
        if c.key.startswith("age:")
    ]
    assert [(c.key, c.value) for c in ages] == [("age:elmufida ullya", 22.0)]


@pytest.mark.parametrize(
    ("text", "key", "phase"),
    [
        ("Gempa susulan itu melukai dua orang warga.", "injured", "aftershock"),
        ("Kecelakaan kedua menewaskan tiga orang pengendara.", "dead", "second"),
        ("Sebelumnya, BNPB mencatat 41 orang meninggal dunia.", "dead", "earlier"),
        ("BNPB mencatat 41 orang meninggal dunia.", "dead", None),
    ],
)
def test_figures_phase_of_the_story(text: str, key: str, phase: str | None) -> None:
    found = keyed(text)
    assert key in found, [(c.key, c.text) for c in claims_of(text)]
    assert found[key].phase == phase


def test_figures_scope_is_where_a_figure_holds_not_where_it_came_from() -> None:
    held = keyed("Sebanyak 12 orang meninggal di Kabupaten Agam.")["dead"]
    assert held.scope is not None
    came = keyed("Bus itu membawa 40 penumpang dari arah Magelang.")["passengers"]
    assert came.scope is None


def test_figures_teens_and_a_verb_of_the_living() -> None:
    teens = keyed("Belasan orang luka-luka dalam kecelakaan itu.")["injured"]
    assert (teens.low, teens.high) == (11, 19)
    assert keyed("Sebanyak 41 napi tewas dalam kebakaran itu.")["dead"].value == 41


def test_figures_scope_of_a_fronted_place() -> None:
    found = keyed("Di Pesisir Selatan, korban jiwa tercatat 23 orang.")["dead"]
    assert found.scope_text is not None and "Pesisir Selatan" in found.scope_text


def test_figures_a_count_of_places_is_no_toll() -> None:
    found = claims_of("Korban jiwa bencana di dua kabupaten itu berjumlah 26 orang.")
    assert [c.value for c in found if c.key == "dead"] == [26]


def test_figures_a_cue_far_from_its_number_is_less_certain() -> None:
    near = keyed("Banjir itu menewaskan 14 orang warga.")["dead"]
    far = keyed("Jumlah korban meninggal dunia akibat gempa itu bertambah menjadi 268 orang.")["dead"]
    assert near.certain and not far.certain


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("Banjir dan longsor itu telah merenggut 19 nyawa warga.", "dead", 19),
        ("Banjir itu berdampak pada 2.958 warga di tiga kecamatan.", "affected", 2958),
        ("Petugas mengamankan tujuh orang dalam operasi itu.", "arrested", 7),
        ("Sekitar 1.500 warga diungsikan ke gedung sekolah.", "evacuated", 1500),
        ("Para pekerja tertimbun di lubang dengan kedalaman 20 meter.", "depth", 20),
        ("The miners were buried at a depth of about eight meters.", "depth", 8),
        ("BMKG memperbarui parameter gempa menjadi magnitudo M6,0.", "magnitude", 6.0),
    ],
)
def test_figures_more_wordings_of_one_measure(text: str, key: str, value: float) -> None:
    found = keyed(text)
    assert key in found, [(c.key, c.text) for c in claims_of(text)]
    assert found[key].value == value


def test_figures_an_old_count_a_source_told_before_is_earlier_up_to_the_current_one() -> None:
    text = "Ditjen PAS sebelumnya mencatat 41 orang tewas dan 73 luka ringan, sehingga korban tewas kini 44 orang."
    found = claims_of(text)
    assert [(c.value, c.phase) for c in found if c.key.startswith(("dead", "injured"))] == [
        (41, "earlier"),
        (73, "earlier"),
        (44, None),
    ]


def test_figures_scope_of_a_reporting_subject_is_its_name_as_written() -> None:
    found = keyed("Pesisir Selatan mencatat 16 korban meninggal.")["dead"]
    assert (found.scope, found.scope_text) == ("~pesisir selatan", "Pesisir Selatan")


def test_claims_status_is_about_a_predicate_not_the_noun_after_its_cue() -> None:
    doc = _doc("Kenaikan UKT dibatalkan mahasiswa pun lega.")
    sentence = next(s for s in doc.sentences if "dibatalkan" in s.text)
    assert [(s.status, s.target.split()[0]) for s in statement_claims(doc, sentence).statuses] == [
        ("cancelled", "naik")
    ]


def test_figures_a_code_after_letters_counting_nothing_is_no_figure() -> None:
    found = [
        (c.key, c.value)
        for c in claims_of("Pesawat Sriwijaya Air SJ 182 membawa 62 orang dan PPN 12 persen.")
    ]
    assert ("aboard", 62) in found and ("percent:ppn", 12) in found
    assert all(value != 182 for _, value in found)


def test_figures_dash_range_without_spaces_is_a_range() -> None:
    depth = keyed("Para pekerja tertimbun di lubang sedalam 20-30 meter.")["depth"]
    assert (depth.low, depth.high, depth.unit) == (20.0, 30.0, "m")
    # A score or a model code is no range.
    assert not [c for c in claims_of("Indonesia unggul 2-1 atas Korea.") if c.low != c.high]
    assert not [
        c for c in claims_of("Pesawat Boeing 737-8 Max itu membawa 180 penumpang.") if c.low != c.high
    ]


def test_figures_crew_by_where_they_serve() -> None:
    found = keyed("Pesawat itu membawa enam awak kabin dan dua kru kokpit.")
    assert found["crew:cabin"].value == 6 and found["crew:cockpit"].value == 2
    assert keyed("Pesawat itu membawa 12 kru.")["crew"].value == 12
    from kabar.claims.keys import label

    assert label("crew:cabin", "id") == "awak kabin" and label("crew:cockpit", "en") == "cockpit crew"
