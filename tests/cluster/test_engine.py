"""The online engine on hand-built representations: the join threshold, the entity bonus, time and the other
penalties, restore, the same decisions with candidates from blocking; the online IDF; the article's own time."""

from __future__ import annotations

import numpy as np
import pytest

from kabar.cluster import sparse
from kabar.cluster.engine import TIME_PENALTY, WINDOW_DAYS, EventEngine, Weights
from kabar.cluster.features import Representation, from_stored, own_time, represent, terms
from kabar.records import Article


def unit(rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal(512).astype(np.float32)
    out: np.ndarray = v / np.linalg.norm(v)
    return out


def near(rng: np.random.Generator, base: np.ndarray, cosine: float) -> np.ndarray:
    noise = unit(rng)
    noise -= (noise @ base) * base
    noise /= np.linalg.norm(noise)
    out: np.ndarray = (cosine * base + np.sqrt(1 - cosine**2) * noise).astype(np.float32)
    return out


def rep(text: str, day: str | None, entities: tuple[tuple[str, str, int], ...] = ()) -> Representation:
    return Representation(text, entities, terms(text), day)


ERUPTION = (
    "Gunung Marapi erupsi kolom abu 1.300 meter di atas puncak, warga diminta menjauhi radius 4,5 kilometer"
)
REPORT = (
    "Marapi kembali erupsi dengan kolom abu setinggi 1.300 meter; radius 4,5 kilometer dari kawah dikosongkan"
)


def test_engine_time_counts_against_a_merge() -> None:
    rng = np.random.default_rng(3)
    first = unit(rng)
    second = near(rng, first, 0.6)
    same_week = EventEngine()
    a, _ = same_week.assign(first, rep(ERUPTION, "2024-01-14"), "okezone")
    b, new = same_week.assign(second, rep(REPORT, "2024-01-15"), "farah")
    assert b == a and not new
    a_year_later = EventEngine()
    a, _ = a_year_later.assign(first, rep(ERUPTION, "2023-01-01"), "okezone")
    b, new = a_year_later.assign(second, rep(REPORT, "2024-01-15"), "farah")
    assert b != a and new
    # The penalty is the whole TIME_PENALTY a year or more outside the event's dates, and nothing inside them.
    state = a_year_later.events[a]
    view = a_year_later._article(rep(REPORT, "2024-01-15"))
    undated = a_year_later._article(rep(REPORT, None))
    assert a_year_later._penalty(state, view) == pytest.approx(TIME_PENALTY)
    assert a_year_later._penalty(state, undated) == 0.0


def test_engine_penalties_for_other_places_and_people() -> None:
    engine = EventEngine(Weights(place=0.2, person=0.1))
    rng = np.random.default_rng(5)
    event, _ = engine.assign(unit(rng), rep(ERUPTION, None, (("agam", "LOC", 2), ("teguh", "PER", 1))), None)
    state = engine.events[event]
    elsewhere = engine._article(rep(REPORT, None, (("karo", "LOC", 1), ("rifandi", "PER", 1))))
    same_place = engine._article(rep(REPORT, None, (("agam", "LOC", 1), ("rifandi", "PER", 1))))
    unnamed = engine._article(rep(REPORT, None))
    assert engine._penalty(state, elsewhere) == pytest.approx(0.3)
    assert engine._penalty(state, same_place) == pytest.approx(0.1)
    assert engine._penalty(state, unnamed) == 0.0


def test_engine_same_events_whatever_the_source_of_candidates() -> None:
    rng = np.random.default_rng(11)
    bases = [unit(rng) for _ in range(3)]
    stories = [ERUPTION, "Bus rombongan wisata masuk jurang di Bantul, 13 orang tewas",
               "Harga premium naik menjadi Rp8.500 per liter mulai 18 November"]  # fmt: skip
    stream = [(near(rng, bases[k % 3], 0.9), rep(stories[k % 3], None)) for k in range(12)]
    indexed = EventEngine()
    ids = [indexed.assign(v, r, None)[0] for v, r in stream]
    blocked = EventEngine(use_index=False)
    given = [blocked.assign(v, r, None, candidates=list(blocked.events))[0] for v, r in stream]
    assert ids == given and len(set(ids)) == 3


def test_sparse_idf_is_online_and_weighs_rare_terms_up() -> None:
    idf = sparse.Idf()
    common, rare = sparse.bucket("erupsi"), sparse.bucket("verbeek")
    for _ in range(5):
        idf.add([(common, 1)])
    vector = idf.add([(common, 1), (rare, 1)])
    assert vector[rare] > vector[common] > 0  # a term in every article so far still counts (smoothed IDF)
    assert sum(w * w for w in vector.values()) == pytest.approx(1.0)
    assert idf.docs == 6 and idf.df[common] == 6


def test_features_own_time_publication_else_stated_else_none() -> None:
    stated = Article(id="a", text="Gunung Marapi kembali meletus pada Minggu (14/1/2024) pukul 06.21 WIB.")
    assert own_time(stated) == "2024-01-14"
    assert own_time(Article(id="b", text=stated.text, published="2024-01-15T08:00:00+07:00")) == "2024-01-15"
    assert own_time(Article(id="c", text="Gunung Marapi kembali meletus pagi ini.")) is None


def test_features_an_article_without_a_lead() -> None:
    only_title = represent(Article(id="t", text="Marapi erupsi lagi", title="Marapi erupsi lagi"))
    assert only_title.text == "Marapi erupsi lagi" and only_title.entities == () and only_title.terms


def test_features_whole_article_terms_and_stored_form() -> None:
    lead = "Gunung Marapi di Sumatera Barat kembali erupsi. " * 3
    tail = "\n\n".join(
        ["Warga diminta menjauhi kawah."] * 20 + ["Hujan abu turun di Bukik Batabuah, Canduang."]
    )
    article = Article(id="m", text=lead + "\n\n" + tail, title="Marapi erupsi lagi")
    found = represent(article)
    assert dict(found.terms).get(sparse.bucket("canduang"))  # from the end of the article, far past the lead
    pair = sparse.pair_buckets(np.array([sparse.bucket("bukik")]), np.array([sparse.bucket("batabuah")]))
    assert dict(found.terms).get(int(pair[0]))  # a word pair
    assert sparse.bucket("di") not in dict(found.terms)  # stop word
    assert Representation.from_dict(found.to_dict()) == found
    stored = from_stored(article, found.entities)
    assert (
        stored.terms == found.terms
        and stored.day == found.day
        and set(stored.entities) == set(found.entities)
    )


def test_features_names_count_again_as_name_terms() -> None:
    found = dict(terms("Banjir di Kemang. Warga Kemang mengungsi, kata Heru di posko banjir kemang."))
    name = sparse.bucket(sparse.NAME_MARK + "kemang")
    assert found[name] == 2 * sparse.NAME_REPEAT  # two of its three mentions are written with a capital
    assert found[sparse.bucket("kemang")] == 3  # the word itself counts every mention
    assert found[sparse.bucket(sparse.NAME_MARK + "heru")] == sparse.NAME_REPEAT
    assert sparse.bucket(sparse.NAME_MARK + "banjir") in found  # a capital at a sentence start counts too
    assert sparse.bucket(sparse.NAME_MARK + "warga") in found
    assert (
        sparse.bucket(sparse.NAME_MARK + "di") not in found
        and sparse.bucket(sparse.NAME_MARK + "posko") not in found
    )
    assert sparse.count_terms(["a", "b"], ()) == sparse.count_terms(["a", "b"])


def test_sparse_name_terms_widen_the_gap_between_look_alikes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two floods written alike: a report naming the same places and officials is closer to the first than one
    naming others, and more so with name terms than without them."""
    first = "Banjir merendam Kemang dan Cipinang Melayu setinggi satu meter, kata Heru Budi di Balai Kota."
    same = "Heru Budi: air setinggi satu meter merendam Kemang serta Cipinang Melayu sejak dini hari."
    other = (
        "Banjir merendam Rawajati dan Kampung Melayu setinggi satu meter, kata Anies Baswedan di Balai Kota."
    )
    filler = [f"Harga cabai naik di pasar {k} menjelang hari raya." for k in range(8)]

    def gap() -> float:
        idf = sparse.Idf()
        for text in filler:
            idf.add(terms(text))
        event, near_report, far_report = (idf.add(terms(t)) for t in (first, same, other))
        norm = sparse.norm(event)
        return sparse.cosine(near_report, event, norm) - sparse.cosine(far_report, event, norm)

    with_names = gap()
    monkeypatch.setattr(sparse, "NAME_REPEAT", 0)  # no name terms
    without_names = gap()
    assert without_names > 0
    assert with_names > without_names + 0.05


# Dense-only decisions (no terms, sparse weight 0): join above the threshold, entities, time, restore.
DENSE = Weights(sparse=0.0)
BASE = unit(np.random.default_rng(7))


def at_cosine(target: float) -> np.ndarray:
    return near(np.random.default_rng(int(target * 1000)), BASE, target)


def keyed(day: str | None, *keys: str) -> Representation:
    return Representation("", tuple((k, "UNK", 1) for k in keys), (), day)


@pytest.mark.parametrize("use_index", [True, False])
def test_engine_joins_above_the_threshold_only(use_index: bool) -> None:
    engine = EventEngine(DENSE, use_index=use_index)

    def assign(vector: np.ndarray) -> tuple[str, bool]:
        candidates = None if use_index else list(engine.events)
        return engine.assign(vector, keyed("2024-03-04"), "kompas", "judul", candidates=candidates)

    first, new = assign(BASE)
    assert new and first == "ev000001"
    assert assign(at_cosine(DENSE.threshold + 0.05)) == (first, False)
    other, new = assign(at_cosine(DENSE.threshold - 0.15))
    assert new and other != first
    assert engine.events[first].count == 2 and engine.events[first].title == "judul"


def test_engine_shared_entities_tip_a_close_call() -> None:
    close = DENSE.threshold - DENSE.entity / 2  # below the threshold by cosine alone
    alone = EventEngine(DENSE)
    alone.assign(BASE, keyed("2024-03-04", "jokowi", "sumedang"), "a")
    assert alone.assign(at_cosine(close), keyed("2024-03-04", "prabowo"), "b")[1] is True
    shared = EventEngine(DENSE)
    event, _ = shared.assign(BASE, keyed("2024-03-04", "jokowi", "sumedang"), "a")
    assert shared.assign(at_cosine(close), keyed("2024-03-04", "jokowi", "sumedang"), "b") == (event, False)


def test_engine_time_window_as_a_hard_rule() -> None:
    engine = EventEngine(Weights(sparse=0.0, time=1.0, time_scale_days=1.0))
    event, _ = engine.assign(BASE, keyed("2024-03-04"), "a")
    assert engine.assign(BASE, keyed(f"2024-03-{4 + WINDOW_DAYS:02d}"), "b") == (event, False)
    assert engine.assign(BASE, keyed("2024-05-01"), "c")[1] is True  # weeks later: another event
    assert engine.assign(BASE, keyed(None), "d")[1] is False  # undated: time does not count


def test_engine_restore_rebuilds_the_same_state() -> None:
    live = EventEngine()
    reps = [
        rep(ERUPTION, "2024-03-04", (("marapi", "LOC", 1),)),
        rep(REPORT, "2024-03-05", (("marapi", "LOC", 1),)),
    ]
    for vector, r in zip((BASE, at_cosine(0.9)), reps, strict=True):
        live.assign(vector, r, "kompas", "judul")
    state = live.events["ev000001"]
    again = EventEngine()
    again.restore("ev000001", BASE, reps[0], "kompas", "judul")
    again.restore("ev000001", at_cosine(0.9), reps[1], "kompas")
    again.reindex_all()
    restored = again.events["ev000001"]
    assert restored.count == state.count == 2 and restored.first == state.first and restored.title == "judul"
    assert restored.terms == pytest.approx(state.terms) and again.idf.docs == live.idf.docs == 2
    assert again.assign(BASE, rep(ERUPTION, "2024-03-06"), "tempo") == ("ev000001", False)
