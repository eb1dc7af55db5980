"""Figure classification across a story, on hand-built figure claims: agree, update, disagreement, correction."""

from __future__ import annotations

from dataclasses import replace

from kabar.compare.figures import Placed, compatible, disputed_pairs, relation, story_figures
from kabar.records import FigureClaim


def claim(
    article: str,
    value: float | None,
    key: str = "dead",
    time: str | None = "2024-03-04T10:00:00+07:00",
    qualifier: str | None = None,
    low: float | None = None,
    high: float | None = None,
    corrected: bool = False,
    role: str = "value",
) -> FigureClaim:
    lo = low if low is not None else value
    hi = high if high is not None else value
    return FigureClaim(article, f"{article}:s1", 0, 3, (0, 3), str(value), key, value, lo, hi,
                       qualifier=qualifier, time=time, corrected=corrected, role=role)  # fmt: skip


def placed(c: FigureClaim, source: int) -> Placed:
    return Placed(c, source)


def test_figures_compatible_values() -> None:
    about = claim("a", 7, "percent:tumbuh", qualifier="~")
    assert compatible(about, claim("b", None, "percent:tumbuh", low=6, high=7))
    assert compatible(claim("a", 162, qualifier=">="), claim("b", 268))
    assert not compatible(claim("a", 162, qualifier=">="), claim("b", 62))
    assert compatible(claim("a", 2000, "houses_damaged"), claim("b", 2045, "houses_damaged"))  # a round count
    assert not compatible(claim("a", 162), claim("b", 165))
    assert not compatible(claim("a", 10000, "price:pertalite"), claim("b", 10300, "price:pertalite"))


def test_figures_relation_kinds() -> None:
    morning = claim("a", 14, time="2024-03-04T11:00:00+07:00")
    evening = claim("b", 62, time="2024-03-04T19:34:00+07:00")
    assert relation(placed(morning, 0), placed(evening, 1)) == "update"
    same_time = claim("c", 103, time="2024-03-04T19:00:00+07:00")
    assert relation(placed(evening, 1), placed(same_time, 2)) == "disagreement"
    fixed = claim("d", 58, time="2024-03-05T09:00:00+07:00", corrected=True)
    assert relation(placed(evening, 1), placed(fixed, 3)) == "correction"
    # A death toll that falls later, from another source, is not an update.
    lower = claim("e", 40, time="2024-03-05T09:00:00+07:00")
    assert relation(placed(evening, 1), placed(lower, 4)) == "disagreement"
    # One source's own values at the same time are parts of each other, never a disagreement.
    assert relation(placed(evening, 1), placed(claim("b", 70, time=evening.time), 1)) == "agree"
    # A value the text marks as updated ("parameter update") updates the other, whatever the time.
    first = claim("a", 6.4, "magnitude", time="2023-06-30T19:57:00+07:00")
    revised = replace(claim("b", 6.0, "magnitude", time="2023-06-30T19:57:00+07:00"), updated=True)
    assert relation(placed(first, 0), placed(revised, 1)) == "update"
    # A fixed fact (how many passengers a bus carried) is disputed whenever sources differ.
    early = claim("a", 59, "passengers", time="2021-03-10T19:00:00+07:00")
    late = claim("b", 66, "passengers", time="2021-03-11T19:00:00+07:00")
    assert relation(placed(early, 0), placed(late, 1)) == "disagreement"


def test_figures_story_status_and_order() -> None:
    values = [
        placed(claim("a", 14, time="2024-03-04T11:00:00+07:00"), 0),
        placed(claim("b", 62, time="2024-03-04T19:34:00+07:00"), 1),
        placed(claim("a", 5.6, "magnitude"), 0),
        placed(claim("b", 5.6, "magnitude"), 1),
        placed(claim("c", 13, "~count:mobil"), 2),
        placed(claim("c", 7650, "price:pertalite", role="previous"), 2),
        placed(claim("c", 10000, "price:pertalite"), 2),
    ]
    figures = {f.key: f for f in story_figures(values, {"a": "A", "b": "B"}, "id")}
    assert figures["dead"].status == "update" and [v.value for v in figures["dead"].values] == [14, 62]
    assert figures["dead"].label == "korban meninggal"
    assert figures["magnitude"].status == "agree"
    assert "~count:mobil" not in figures  # a bare count is not compared
    assert [v.value for v in figures["price:pertalite"].values] == [10000]  # the old price is not a value


def test_figures_disputed_pairs_cross_sources_only() -> None:
    values = [
        placed(claim("a", 162, time="2024-03-04T19:00:00+07:00"), 0),
        placed(claim("b", 103, time="2024-03-04T19:30:00+07:00"), 1),
        placed(claim("c", 162, time="2024-03-04T18:00:00+07:00"), 2),
    ]
    (figure,) = story_figures(values, {}, "en")
    assert figure.status == "disagreement"
    pairs = disputed_pairs(figure, {"a": 0, "b": 1, "c": 2})
    # One pair per two values as written: 162 (a, and again c) against 103 (b).
    assert [sorted((x.value or 0, y.value or 0)) for x, y in pairs] == [[103, 162]]


def test_figures_dispute_and_timeline_are_separate_figures() -> None:
    values = [
        placed(replace(claim("a", 30, time="2020-01-02T21:00:00+07:00"), attribution="BNPB"), 0),
        placed(replace(claim("b", 26, time="2020-01-02T23:15:00+07:00"), attribution="Kemensos"), 1),
        placed(claim("c", 43, time="2020-01-03T10:20:00+07:00"), 2),
    ]
    figures = story_figures(values, {}, "id")
    assert [(f.status, [v.value for v in f.values]) for f in figures] == [
        ("disagreement", [30, 26]),
        ("update", [30, 26, 43]),
    ]


def test_figures_parts_and_scopes_are_not_the_toll() -> None:
    whole = claim("a", 30)
    part = replace(
        claim("a", 17), start=10
    )  # "17 orang meninggal karena terseret arus", same article, no other source named
    other = claim("b", 30)
    # "empat orang tewas di Pulogadung" beside the article's toll of 30: a place's part of the toll.
    pulogadung = replace(claim("b", 4), scope="E9", scope_text="Pulogadung")
    # A toll naming the story's place ("di Cianjur") in an article giving no larger one is the toll itself.
    cianjur = replace(claim("c", 30), scope="E1", scope_text="Cianjur")
    values = [placed(whole, 0), placed(part, 0), placed(other, 1), placed(pulogadung, 1), placed(cianjur, 2)]
    by_key = {f.key: f for f in story_figures(values, {}, "id")}
    assert by_key["dead"].status == "agree" and len(by_key["dead"].values) == 4
    assert by_key["dead@E9"].label == "korban meninggal (Pulogadung)"


def test_figures_scope_phase_and_officials() -> None:
    whole = claim("a", 84, time="2024-03-04T10:00:00+07:00")
    # A place's count smaller than another source's whole toll is a part of it; two places are two figures.
    village = replace(claim("b", 12, time=whole.time), scope="Q1", scope_text="Desa Sukamaju")
    assert relation(placed(whole, 0), placed(village, 1)) == "agree"
    other = replace(claim("c", 30, time=whole.time), scope="Q2", scope_text="Majene")
    assert relation(placed(village, 1), placed(other, 2)) == "agree"
    # A place's count as large as the whole is compared with it.
    assert (
        relation(placed(whole, 0), placed(replace(village, value=90, low=90, high=90), 1)) == "disagreement"
    )
    # An old value told again ("Sebelumnya, 41 orang") is updated, not disputed, even when lower...
    stale = replace(claim("d", 41, time=whole.time), phase="earlier")
    assert relation(placed(whole, 0), placed(stale, 3)) == "update"
    # ...unless two officials give the two counts: then they dispute each other.
    bnpb = replace(whole, attribution_entity="Q10")
    ministry = replace(stale, attribution_entity="Q11")
    assert relation(placed(bnpb, 0), placed(ministry, 3)) == "disagreement"
    # Tolls reported an hour or more apart hold for two times: the later, higher one updates.
    later = claim("e", 90, time="2024-03-04T11:30:00+07:00")
    assert relation(placed(whole, 0), placed(later, 4)) == "update"


def test_figures_amount_in_a_sentence_naming_a_priced_product_is_its_price() -> None:
    from kabar.compare.figures import priced

    price = claim("a", 6800, "price:solar")
    amount = claim("b", 6800, "money:harga")
    subsidy = replace(claim("b", 502e12, "money:subsidi"), sentence="b:s2")
    texts = {"b:s1": "Untuk Solar, harganya naik menjadi Rp 6.800.", "b:s2": "Subsidi Solar Rp 502 triliun."}
    keys = [p.claim.key for p in priced([placed(price, 0), placed(amount, 1), placed(subsidy, 1)], texts)]
    assert keys == ["price:solar", "price:solar", "money:subsidi"]


def test_figures_story_place_is_the_whole_unless_counted_as_a_part() -> None:
    from kabar.compare.scopes import unscoped

    toll = replace(claim("a", 30), scope="Q1", scope_text="Jabodetabek")
    assert unscoped([placed(toll, 0)], frozenset({"Q1"}))[0].claim.scope is None
    # An article giving the place's count beside a larger one of its own counts the place as a part.
    part = replace(claim("b", 3), scope="Q1", scope_text="Padang Pariaman")
    province = claim("b", 19)
    kept = unscoped([placed(part, 1), placed(province, 1)], frozenset({"Q1"}))
    assert kept[0].claim.scope == "Q1"


def test_figures_uncertain_or_weak_keys_need_aligned_statements() -> None:
    near = claim("a", 14)
    far = replace(claim("b", 20), certain=False)
    assert relation(Placed(near, 0, 1), Placed(far, 1, 2)) == "agree"
    assert relation(Placed(near, 0, 1), Placed(far, 1, 1)) == "disagreement"
    share_a, share_b = claim("a", 7.8, "percent:naik"), claim("b", 9.04, "percent:naik")
    assert relation(Placed(share_a, 0, 3), Placed(share_b, 1, 4)) == "agree"
    assert relation(Placed(share_a, 0, 3), Placed(share_b, 1, 3)) == "disagreement"


def test_figures_old_count_told_again_shows_an_update_and_never_a_dispute() -> None:
    # "Laporan awal menyebut enam orang meninggal" beside the article's current eight: an earlier count.
    old = replace(claim("a", 6, time="2025-02-05T13:10:00+07:00"), phase="earlier")
    current = replace(claim("a", 8, time=old.time), start=20)
    other = claim("b", 8, time="2025-02-05T15:15:00+07:00")
    figures = story_figures([placed(old, 0), placed(current, 0), placed(other, 1)], {}, "id")
    assert [(f.status, sorted(v.value or 0 for v in f.values)) for f in figures] == [("update", [6, 8, 8])]
    # Two sources' old values told again hold for one earlier count: they dispute each other.
    a = replace(claim("a", 72, "injured:minor"), phase="earlier")
    b = replace(claim("b", 73, "injured:minor", time="2024-03-04T14:00:00+07:00"), phase="earlier")
    assert relation(placed(a, 0), placed(b, 1)) == "disagreement"


def test_figures_one_place_written_two_ways_is_one_scope() -> None:
    from kabar.compare.scopes import place_key, same_places

    assert place_key("Kabupaten Pesisir Selatan") == place_key("Pesisir Selatan")
    assert place_key("Sumatra Barat") == place_key("Sumatera Barat") != place_key("Sumatera Utara")
    doc = _doc_naming("Banjir melanda Kabupaten Pesisir Selatan dan Padang Pariaman.")
    linked = replace(claim("a", 27), scope="E1", scope_text="Kabupaten Pesisir Selatan")
    written = replace(claim("b", 16), scope="~pesisir selatan", scope_text="Pesisir Selatan")
    agency = replace(claim("c", 30), scope="~bnpb", scope_text="BNPB")  # no place of the story
    out, _ = same_places(
        [placed(linked, 0), placed(written, 1), placed(agency, 2)], [doc], {"E1": "Kabupaten Pesisir Selatan"}
    )
    assert [p.claim.scope for p in out] == ["E1", "E1", None]


def _doc_naming(text: str):  # type: ignore[no-untyped-def]
    from kabar.pipeline import annotate
    from kabar.records import Article

    return annotate([Article(id="t", text=text, published="2024-03-04T10:00:00+07:00")]).articles[0]


def test_figures_bare_counts_of_things_meet_only_in_one_fact() -> None:
    motorbikes = replace(claim("a", 14, "~count:sepeda"), unit="sepeda motor")
    stopped = replace(claim("b", 12, "~count:sepeda:henti"), unit="sepeda motor")
    private = replace(claim("b", 2, "~count:mobil"), unit="mobil pribadi", start=30)
    cars = replace(claim("a", 6, "~count:mobil"), unit="mobil", start=30)
    people = claim("c", 28, "~count:orang:bawa")
    apart = [Placed(motorbikes, 0, 1), Placed(stopped, 1, 2), Placed(people, 2, 3)]
    assert [(f.key, f.status) for f in story_figures(apart, {}, "id")] == [("things:sepeda_motor", "agree")]
    # In one fact: the same thing counted differently disputes; a modified noun is another thing.
    together = [Placed(motorbikes, 0, 1), Placed(stopped, 1, 1), Placed(cars, 0, 1), Placed(private, 1, 1)]
    found = {f.key: f.status for f in story_figures(together, {}, "id")}
    assert found == {
        "things:sepeda_motor": "disagreement",
        "things:mobil": "agree",
        "things:mobil_pribadi": "agree",
    }
    # A later, higher count of a thing is an update (bridges found damaged over the days).
    early = replace(claim("a", 3, "~count:jembatan"), unit="jembatan")
    late = replace(claim("b", 28, "~count:jembatan", time="2024-03-05T21:30:00+07:00"), unit="jembatan")
    assert relation(Placed(_thing(early), 0, 1), Placed(_thing(late), 1, 1)) == "update"


def _thing(c: FigureClaim) -> FigureClaim:
    from kabar.compare.figures import _thing_count

    return _thing_count(Placed(c, 0)).claim


def test_figures_two_counters_of_a_share_are_estimates_side_by_side() -> None:
    def share(article: str, value: float, who: str | None) -> Placed:
        c = replace(claim(article, value, "percent:pramono-rano"), attribution=who)
        return Placed(c, ord(article), group=0)

    # Two pollsters' quick counts at one time are two estimates, not a dispute between outlets...
    assert (
        relation(share("a", 50.11, "Lingkaran Survei Indonesia"), share("b", 49.86, "Indikator")) == "agree"
    )
    # ...one counter named two ways, or an unnamed counter, still disputes.
    charta = share("a", 49.26, "Charta Politika Indonesia")
    assert relation(charta, share("b", 50.15, "Charta Politika")) == "disagreement"
    assert relation(charta, share("b", 50.15, None)) == "disagreement"
    # A death toll counted by two officials stays a dispute.
    dead_a = replace(claim("a", 14), attribution="BNPB")
    dead_b = replace(claim("b", 20), attribution="Basarnas")
    assert relation(placed(dead_a, 0), placed(dead_b, 1)) == "disagreement"


def test_figures_list_of_one_weak_key_in_a_sentence_is_never_disputed() -> None:
    from kabar.compare.scopes import listed

    first = Placed(claim("a", 0.63, "percent:inflasi"), 0, group=3)
    second = Placed(replace(claim("a", 0.45, "percent:inflasi"), start=40, end=44), 0, group=3)
    other = Placed(claim("b", 0.66, "percent:inflasi"), 1, group=3)
    assert relation(first, other) == "disagreement"  # one value each side of an aligned fact: a dispute
    kept = listed([first, second, other])
    assert [p.group for p in kept] == [-1, -1, 3]
    assert relation(kept[0], kept[2]) == "agree"
    # A part for a place beside its whole ("tujuh desa …: enam desa di Kecamatan X") is no list.
    part = replace(second, claim=replace(second.claim, scope="Q5"))
    assert [p.group for p in listed([first, part, other])] == [3, 3, 3]
    # A specific key is never a list: two death tolls in one sentence are still compared.
    dead = [Placed(claim("a", 5), 0, 3), Placed(replace(claim("a", 7), start=9), 0, 3)]
    assert [p.group for p in listed(dead)] == [3, 3]
