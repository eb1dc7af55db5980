from __future__ import annotations

import re

import pytest

from kabar.extract.ner import combine
from kabar.extract.numbers import extract_quantities
from kabar.pipeline import annotate_article
from kabar.records import Article, Mention
from tests.conftest import SEED_A, SEED_B


def _one_line(times: int) -> str:
    prose = re.sub(r"\s+", " ", SEED_A.read_text(encoding="utf-8") + " " + SEED_B.read_text(encoding="utf-8"))
    return " ".join([prose.strip()] * times)


@pytest.mark.parametrize("text", [SEED_A.read_text(encoding="utf-8"), _one_line(6)])
def test_pipeline_quantities_by_sentence_match_the_whole_article(text: str) -> None:
    doc = annotate_article(Article(id="a", text=text))
    prose = [s for s in doc.sentences if s.boilerplate is None]
    whole = extract_quantities("a", prose, doc.dates, doc.mentions)
    caption = [
        q for q in doc.quantities if any(s.start <= q.start < s.end for s in doc.sentences if s.boilerplate)
    ]
    assert not caption  # the seed's caption holds a date, no figure
    assert doc.quantities and list(doc.quantities) == whole


def test_pipeline_long_line_repeats_its_mentions() -> None:
    three, six = (annotate_article(Article(id="a", text=_one_line(n))) for n in (3, 6))
    assert len(six.mentions) == 2 * len(three.mentions)
    assert len(six.quantities) == 2 * len(three.quantities)
    assert len(six.dates) == 2 * len(three.dates)


def _m(start: int, end: int, text: str, type_: str, origin: str) -> Mention:
    return Mention("a", start, end, text, type_, origin=origin)


def test_pipeline_combine_prefers_the_gazetteer_name_over_model_pieces() -> None:
    # "Kim Jong Un" at 0-11 by the gazetteer; the model found "Kim Jong" and, in another sentence, "Putin".
    model = [_m(0, 8, "Kim Jong", "PER", "crf"), _m(40, 45, "Putin", "PER", "crf")]
    rules = [_m(0, 11, "Kim Jong Un", "PER", "gazetteer"), _m(60, 66, "Moskow", "LOC", "gazetteer")]
    out = combine(model, rules, prefer_rules_inside=True)
    assert [(m.text, m.origin) for m in out] == [("Kim Jong Un", "gazetteer"), ("Putin", "crf"),
                                                  ("Moskow", "gazetteer")]  # fmt: skip


def test_pipeline_caption_states_facts_but_stays_marked() -> None:
    # The seed's photo caption: "Presiden Rusia Vladimir Putin dan pemimpin Korea Utara Kim Jong Un bertemu di
    # Kosmodrom Vostochny yang terletak di wilayah Amur, pada 13 September 2023. (Foto: Sputnik/...)"
    doc = annotate_article(Article(id="a", text=SEED_A.read_text(encoding="utf-8")))
    caption = next(s for s in doc.sentences if s.boilerplate == "caption")
    credit = next(s for s in doc.sentences if s.boilerplate == "credit")
    assert caption.states_facts and not credit.states_facts
    inside = [m.text for m in doc.mentions if caption.start <= m.start < caption.end]
    assert "Kosmodrom Vostochny" in inside and "Amur" in inside
    assert not [m for m in doc.mentions if credit.start <= m.start < credit.end]  # no "Sputnik", "Reuters"
    dates = [d.value for d in doc.dates if caption.start <= d.start < caption.end]
    assert dates == ["2023-09-13"]


def test_pipeline_caption_figures_are_extracted() -> None:
    text = (
        "Banjir merendam Kabupaten Lebak.\n\n"
        "Petugas BPBD mengevakuasi 27 warga dari Desa Lamokula, Senin (27/5/2019). Foto: Erik Prabowo/ANTARA\n\n"
        "Ketinggian air mencapai satu meter."
    )
    doc = annotate_article(Article(id="a", text=text, published="2019-05-28"))
    caption = next(s for s in doc.sentences if s.boilerplate == "caption")
    assert [q.value for q in doc.quantities if caption.start <= q.start < caption.end] == [27.0]
    assert [d.value for d in doc.dates if caption.start <= d.start < caption.end] == ["2019-05-27"]


def test_pipeline_check_order_names_what_is_missing() -> None:
    from kabar.errors import UsageError
    from kabar.pipeline import STAGES, Stage, check_order

    check_order(STAGES)
    splitter = next(s for s in STAGES if "sentences" in s.provides)
    late = [s for s in STAGES if s is not splitter] + [splitter]
    with pytest.raises(UsageError, match=r"requires \['sentences'\]"):
        check_order(late)

    def same(doc, config):  # type: ignore[no-untyped-def]
        return doc

    with pytest.raises(UsageError, match=r"x\.v1 requires"):
        check_order([Stage("x.v1", ("nothing",), (), same)])


def test_pipeline_records_stages_and_passes_failures_through() -> None:
    from kabar.pipeline import STAGES, annotate
    from kabar.records import Failure

    bad = Failure("rusak.txt", "not text", "binary")
    result = annotate([Article(id="a", text=SEED_A.read_text(encoding="utf-8")), bad])
    (doc,) = result.articles
    assert result.failures == (bad,)
    assert doc.stages == (*(s.name for s in STAGES), "link.v1")
    assert doc.sentences and doc.mentions and all(m.entity for m in doc.mentions if m.type != "UNK")


def test_pipeline_links_a_short_name_to_the_full_one_across_articles() -> None:
    from kabar.pipeline import annotate

    first = Article(id="a", text="Presiden Rusia Vladimir Putin menerima tamu di Moskow pada Selasa.")
    second = Article(id="b", text="Putin mengatakan pertemuan itu penting bagi kedua negara.")
    result = annotate([first, second])
    by_article = {d.article.id: {m.text: m.entity for m in d.mentions} for d in result.articles}
    assert by_article["a"]["Vladimir Putin"] == by_article["b"]["Putin"] is not None
    entity = next(e for e in result.entities if e.id == by_article["b"]["Putin"])
    assert entity.name == "Vladimir Putin" and entity.mentions == 2


def test_pipeline_run_stages_runs_only_what_is_asked() -> None:
    from kabar.errors import UsageError
    from kabar.pipeline import run_stages
    from kabar.records import AnnotatedArticle

    article = Article(id="r", text="Gunung Marapi meletus pada Minggu (14/1/2024). Warga menjauhi kawah.")
    doc = run_stages(AnnotatedArticle(article=article), ("sentences", "boilerplate"))
    assert len(doc.sentences) == 2 and not doc.mentions and doc.reference_date is None
    assert run_stages(doc, ("reference_date",)).reference_date == "2024-01-14"
    with pytest.raises(UsageError):
        run_stages(AnnotatedArticle(article=article), ("sentences",))  # needs the cleaner's boilerplate
    with pytest.raises(UsageError):
        run_stages(doc, ("opinions",))


@pytest.mark.parametrize("tier", ["fast", "accurate", "rules"])
def test_pipeline_results_name_the_entity_tier_that_made_them(tier: str) -> None:
    from kabar.compare.run import compare
    from kabar.config import Config
    from kabar.e5 import tagger
    from kabar.extract import crf, entities, ner
    from kabar.pipeline import annotate
    from kabar.report import comparison_dict
    from kabar.versions import annotate_versions

    if tier == "accurate" and not tagger.model_available():
        pytest.skip("the accurate entity model is not installed")
    if tier == "fast" and not crf.model_available():
        pytest.skip("the CRF model is not installed")
    named = {"fast": ner.NAME, "accurate": tagger.NAME, "rules": entities.NAME}[tier]
    articles = [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in (SEED_A, SEED_B)]
    annotation = annotate(articles, Config(ner=tier))
    assert all(named in doc.stages for doc in annotation.articles)
    assert [n for n in named_tiers() if n in annotation.articles[0].stages] == [named]
    assert list(annotation.articles[0].stages) == annotate_versions(tier)
    versions = comparison_dict(compare(annotation))["versions"]
    assert named in versions and not (set(named_tiers()) - {named}) & set(versions)


def named_tiers() -> list[str]:
    from kabar.e5 import tagger
    from kabar.extract import entities, ner

    return [ner.NAME, tagger.NAME, entities.NAME]
