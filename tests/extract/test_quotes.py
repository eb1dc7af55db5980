from __future__ import annotations

from kabar.pipeline import annotate
from kabar.records import AnnotatedArticle, Annotation, Article
from tests.conftest import entity_named


def _quote(doc: AnnotatedArticle, fragment: str):  # type: ignore[no-untyped-def]
    found = [q for q in doc.quotes if fragment in q.content]
    assert found, f"no quote containing {fragment!r}: {[q.content for q in doc.quotes]}"
    return found[0]


def test_quotes_direct_with_post_cue(
    seed_annotation: Annotation, seed_docs: dict[str, AnnotatedArticle]
) -> None:
    q = _quote(seed_docs["000_88221f3e0d7eafc3"], "Segala bentuk kerja sama")
    assert q.direct and q.cue == "kata" and q.speaker_text == "Guterres"
    assert q.speaker_entity == entity_named(seed_annotation, "Antonio Guterres")
    assert q.content.endswith("[PBB]")


def test_quotes_direct_with_pre_cue(
    seed_annotation: Annotation, seed_docs: dict[str, AnnotatedArticle]
) -> None:
    q = _quote(seed_docs["000_88221f3e0d7eafc3"], "Itulah mengapa kami datang ke sini")
    assert q.direct and q.cue == "menjawab"
    assert q.speaker_entity == entity_named(seed_annotation, "Vladimir Putin")


def test_quotes_multi_sentence_quote(
    seed_annotation: Annotation, seed_docs: dict[str, AnnotatedArticle]
) -> None:
    q = _quote(seed_docs["001_6da34223ceeac54f"], "itulah sebabnya kami datang ke sini")
    assert q.direct and "Mereka juga mencoba mengembangkan ruang angkasa" in q.content
    assert q.speaker_entity == entity_named(seed_annotation, "Vladimir Putin")


def test_quotes_pronoun_speaker_resolved(
    seed_annotation: Annotation, seed_docs: dict[str, AnnotatedArticle]
) -> None:
    q = _quote(seed_docs["000_88221f3e0d7eafc3"], "sangat relevan")
    assert q.speaker_text == "Ia" and q.cue == "menambahkan"
    assert q.speaker_entity == entity_named(seed_annotation, "Antonio Guterres")


def test_quotes_indirect_and_denials(
    seed_annotation: Annotation, seed_docs: dict[str, AnnotatedArticle]
) -> None:
    a = seed_docs["000_88221f3e0d7eafc3"]
    kremlin = _quote(a, "diskusi sensitif")
    assert not kremlin.direct and kremlin.speaker_entity == entity_named(seed_annotation, "Kremlin")
    denial = _quote(a, "tuduhan tersebut")
    assert denial.cue == "membantah" and denial.speaker_text == "Moskow dan Pyongyang"
    b = seed_docs["001_6da34223ceeac54f"]
    assert _quote(b, "klaim tersebut").cue == "membantah"
    rudenko = _quote(b, "bantuan kemanusiaan")
    assert rudenko.speaker_entity == entity_named(seed_annotation, "Andrei Rudenko")
    assert not rudenko.content.endswith(
        "Rusia."
    )  # the trailing ", menurut kantor berita Rusia" is attribution


def test_quotes_appositive_speaker(
    seed_annotation: Annotation, seed_docs: dict[str, AnnotatedArticle]
) -> None:
    q = _quote(seed_docs["001_6da34223ceeac54f"], "Seoul terus berkomunikasi")
    assert q.speaker_entity == entity_named(seed_annotation, "Lim Soo-suk")


def test_quotes_negated_cue_is_not_a_quote(seed_docs: dict[str, AnnotatedArticle]) -> None:
    doc = seed_docs["001_6da34223ceeac54f"]
    assert not [q for q in doc.quotes if "seberapa jauh" in q.content]


def test_quotes_scare_quotes_without_cue_are_not_quotes(seed_docs: dict[str, AnnotatedArticle]) -> None:
    doc = seed_docs["000_88221f3e0d7eafc3"]
    assert not [q for q in doc.quotes if q.content == "Rusia yang hebat"]


def test_quotes_offsets_point_at_content(seed_annotation: Annotation) -> None:
    for doc in seed_annotation.articles:
        text = doc.article.text
        for q in doc.quotes:
            assert text[q.content_start : q.content_end] == q.content
            assert q.start <= q.content_start and q.content_end <= q.end
            if q.speaker_start is not None and q.speaker_end is not None:
                assert text[q.speaker_start : q.speaker_end] == q.speaker_text


def test_quotes_katanya_and_trailing_attribution() -> None:
    text = (
        "Menteri Kesehatan Budi Gunadi Sadikin meninjau rumah sakit di Bandung.\n\n"
        "“Stok vaksin cukup sampai akhir tahun,” katanya.\n\n"
        "Harga obat akan turun bulan depan, menurut Kementerian Kesehatan."
    )
    result = annotate([Article(id="k", text=text)])
    doc = result.articles[0]
    first = _quote(doc, "Stok vaksin")
    assert first.cue == "katanya" and first.speaker_entity == entity_named(result, "Budi Gunadi Sadikin")
    second = _quote(doc, "Harga obat")
    assert second.cue == "menurut" and second.speaker_entity == entity_named(result, "Kementerian Kesehatan")
