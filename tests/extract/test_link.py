"""Entity extraction and linking, on the seed articles and on hand-built mentions."""

from __future__ import annotations

from kabar.extract.link import inline_acronyms, link_entities
from kabar.records import AnnotatedArticle, Annotation, Mention
from tests.conftest import entity_named, mention_entity


def _docs(annotation: Annotation) -> list[AnnotatedArticle]:
    return list(annotation.articles)


def test_link_surname_joins_full_name(seed_annotation: Annotation) -> None:
    putin = entity_named(seed_annotation, "Vladimir Putin")
    for doc in _docs(seed_annotation):
        assert {m.entity for m in doc.mentions if m.text in {"Putin", "Vladimir Putin"}} == {putin}
    entity = next(e for e in seed_annotation.entities if e.id == putin)
    assert entity.name == "Vladimir Putin" and entity.type == "PER"


def test_link_bare_kim_is_the_kim_the_story_is_about(
    seed_annotation: Annotation, seed_docs: dict[str, AnnotatedArticle]
) -> None:
    kim_jong_un = entity_named(seed_annotation, "Kim Jong Un")
    kim_myong_sik = entity_named(seed_annotation, "Kim Myong Sik")
    assert kim_jong_un != kim_myong_sik
    for doc in seed_docs.values():
        bare = [m for m in doc.mentions if m.text == "Kim"]
        assert bare and all(m.entity == kim_jong_un for m in bare)


def test_link_acronym_and_expansion_and_aliases(seed_annotation: Annotation) -> None:
    assert entity_named(seed_annotation, "PBB") == entity_named(seed_annotation, "Perserikatan Bangsa-Bangsa")
    korea_utara = entity_named(seed_annotation, "Korea Utara")
    assert entity_named(seed_annotation, "DPRK") == korea_utara
    assert entity_named(seed_annotation, "Republik Rakyat Demokratik Korea") == korea_utara
    assert entity_named(seed_annotation, "Korea Selatan") != korea_utara


def test_link_indonesian_and_english_forms(seed_annotation: Annotation) -> None:
    assert entity_named(seed_annotation, "Kosmodrom Vostochny") == entity_named(
        seed_annotation, "Vostochny Cosmodrome"
    )


def test_link_short_name_in_other_speaker_sentence(
    seed_docs: dict[str, AnnotatedArticle], seed_annotation: Annotation
) -> None:
    doc = seed_docs["001_6da34223ceeac54f"]
    assert mention_entity(doc, "Lim") == entity_named(seed_annotation, "Lim Soo-suk")


def test_link_country_does_not_join_its_ministry(seed_annotation: Annotation) -> None:
    rusia = entity_named(seed_annotation, "Rusia")
    ministry = entity_named(seed_annotation, "Kementerian Pertahanan Tokyo")
    assert rusia != ministry
    types = {e.name: e.type for e in seed_annotation.entities}
    assert types["Rusia"] == "LOC" and types["Kementerian Pertahanan Tokyo"] == "ORG"
    assert types["Kremlin"] == "ORG" and types["Antonio Guterres"] == "PER"


def test_link_entity_ids_unique_and_every_mention_linked(seed_annotation: Annotation) -> None:
    ids = [e.id for e in seed_annotation.entities]
    assert len(ids) == len(set(ids))
    for doc in seed_annotation.articles:
        assert all(m.entity in set(ids) for m in doc.mentions)


def test_link_people_expected_in_the_seeds(seed_annotation: Annotation) -> None:
    people = {e.name for e in seed_annotation.entities if e.type == "PER"}
    for name in ["Vladimir Putin", "Kim Jong Un", "Antonio Guterres", "Kim Myong Sik", "Jo Chun Ryong",
                 "Andrei Rudenko", "Lim Soo-suk", "Shoigu"]:  # fmt: skip
        assert name in people, name
    places = {e.name for e in seed_annotation.entities if e.type == "LOC"}
    for name in ["Rusia", "Korea Utara", "Korea Selatan", "Ukraina", "Amerika Serikat", "Moskow", "Pyongyang",
                 "Kosmodrom Vostochny", "Seoul", "Siberia"]:  # fmt: skip
        assert name in places, name


def test_link_boilerplate_names_are_not_entities(seed_annotation: Annotation) -> None:
    names = {e.name for e in seed_annotation.entities} | {
        a for e in seed_annotation.entities for a in e.aliases
    }
    # The contributor paragraph and the photo credit are boilerplate.
    assert "Jim Heintz" not in names and "Artem Geodakyan" not in names


def _m(article: str, text: str, type_: str, start: int) -> Mention:
    return Mention(article, start, start + len(text), text, type_)


def test_link_ambiguous_surname_across_articles_stays_apart() -> None:
    mentions = [
        _m("a", "Joko Widodo", "PER", 0), _m("a", "Widodo", "UNK", 50),
        _m("b", "Budi Widodo", "PER", 0), _m("b", "Widodo", "UNK", 40), _m("b", "Widodo", "UNK", 80),
    ]  # fmt: skip
    linked, entities = link_entities(mentions)
    assert linked[1].entity == linked[0].entity
    assert linked[3].entity == linked[2].entity == linked[4].entity
    assert linked[0].entity != linked[2].entity
    assert len(entities) == 2


def test_link_inline_acronym_definition() -> None:
    text = "Komisi Pengawas Persaingan Usaha (KPPU) memanggil lima perusahaan. KPPU menilai ada kartel."
    pairs = inline_acronyms(text)
    assert ("Komisi Pengawas Persaingan Usaha", "KPPU") in pairs
    mentions = [_m("a", "Komisi Pengawas Persaingan Usaha", "ORG", 0), _m("a", "KPPU", "ORG", 34),
                _m("a", "KPPU", "ORG", 67)]  # fmt: skip
    _, entities = link_entities(mentions, pairs)
    assert len(entities) == 1 and entities[0].name == "Komisi Pengawas Persaingan Usaha"


def test_link_acronym_by_initials_without_definition() -> None:
    mentions = [_m("a", "Badan Pengawas Obat dan Makanan", "ORG", 0), _m("b", "BPOM", "ORG", 0)]
    linked, _ = link_entities(mentions)
    assert linked[0].entity == linked[1].entity
