"""The HTML report as a browser sees it: rendered by headless Chromium (Debian's chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest

from kabar.compare.run import compare
from kabar.embed import Embedder
from kabar.ingest import read_paths
from kabar.pipeline import STAGES, annotate
from kabar.records import Article
from kabar.report import comparison_dict, comparison_html, comparison_markdown, source_labels
from tests.conftest import SEED_A, SEED_B

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
HOSTILE = (
    "Warga Menolak Tambang <script>alert('judul')</script>\n\n"
    "Warga Desa Wadas, Purworejo, menolak tambang batu andesit pada Selasa (8/2/2022). "
    "<script>document.title='diretas'</script><img src=x onerror=\"alert('img')\"> "
    "Kepala desa mengatakan 64 warga sempat ditahan polisi, lalu dibebaskan.\n\n"
    '"Kami hanya ingin tanah kami tetap hijau," kata seorang warga.'
)


def _chromium(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp / 'profile'}"]  # fmt: skip
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("report")
    hostile = tmp / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    # Both seeds from one outlet, the third from another: citations name the outlet, numbered within it.
    outlets = {SEED_A.stem: "Kompas", SEED_B.stem: "Kompas", "hostile": "Tempo"}
    articles = [replace(a, source=outlets[a.id]) if isinstance(a, Article) else a
                for a in read_paths([SEED_A, SEED_B, hostile])]  # fmt: skip
    result = compare(annotate(articles), embedder=Embedder(disk_cache=False))
    page = comparison_html(result)
    path = tmp / "report.html"
    path.write_text(page, encoding="utf-8")
    return page, path


def test_report_html_escapes_article_text(report: tuple[str, Path]) -> None:
    page, _ = report
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//script") and not tree.xpath("//*[@onerror]") and not tree.xpath("//img")
    assert "<script>document.title='diretas'</script>" in tree.text_content()
    # Figures two sources give ("Putin, 70,"; "18 bulan perang") as timelines.
    assert tree.xpath("//section[@id='figures']//li[contains(@class, 'figure')]")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_report_renders_in_chromium_with_working_citations(report: tuple[str, Path], tmp_path: Path) -> None:
    _, path = report
    dumped = _chromium(["--dump-dom", path.as_uri()], tmp_path)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = lxml.html.fromstring(dumped.stdout)
    assert dom.findtext(".//title").startswith("Putin dan Kim")  # no script ran to change it
    assert not dom.xpath("//script") and not dom.xpath("//img")
    citations = dom.xpath("//ol[@class='brief']//a[@class='cite']/@href")
    assert citations
    ids = set(dom.xpath("//span[contains(@class, 's ')]/@id"))
    for href in citations:
        assert href.startswith("#") and href[1:] in ids
    assert dom.xpath("//span[contains(@class, 'shared')]") and dom.xpath(
        "//span[contains(@class, 's boilerplate')]"
    )
    # Citations name the outlet ("Kompas (2) 5"), not the article id; the id stays in the tooltip.
    cites = dom.xpath("//ol[@class='brief']//a[@class='cite']")
    assert all(re.fullmatch(r"\[(Kompas \([12]\)|Tempo) \w+\]", a.text_content()) for a in cites)
    assert all(a.get("title").split(":")[0] in {SEED_A.stem, SEED_B.stem, "hostile"} for a in cites)
    assert not any(
        SEED_B.stem in a.text_content() for a in dom.xpath("//a | //td | //h3 | //div[@class='meta']")
    )
    assert {"Kompas (1)", "Kompas (2)", "Tempo"} <= set(dom.xpath("//section[@id='timeline']//td/text()"))
    # The seed's photo caption states facts: labelled and not struck through; its credit stays struck through.
    caption = dom.xpath("//span[contains(@class, 's caption')]")
    assert caption and all("boilerplate" not in c.get("class") for c in caption)
    assert caption[0].getprevious().text_content() == "Photo caption"
    assert any(s.get("title") == "credit" for s in dom.xpath("//span[contains(@class, 's boilerplate')]"))
    # A sentence whose clauses state different facts shows each clause in its own colour.
    split = dom.xpath("//span[contains(@class, 's split')]")
    assert split and all(len(s.xpath("./span[contains(@class, 'c ')]")) >= 2 for s in split)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = _chromium(
        [f"--screenshot={ARTIFACTS / 'compare_report.png'}", "--window-size=1280,1600", path.as_uri()],
        tmp_path,
    )
    assert shot.returncode == 0 and (ARTIFACTS / "compare_report.png").stat().st_size > 10_000


def test_report_json_and_markdown_shapes(report: tuple[str, Path]) -> None:
    result = compare(annotate(read_paths([SEED_A, SEED_B])), embedder=Embedder(disk_cache=False))
    data = comparison_dict(result)
    sentences = {s["id"]: s["text"] for a in data["articles"] for s in a["sentences"]}
    assert {"articles", "entities", "facts", "brief", "duplicates", "notes", "failures", "schema"} <= set(
        data
    )
    versions = data["versions"]  # the stages that made it: the annotation's, in order, then compare's
    assert versions[: len(STAGES)] == [stage.name for stage in STAGES] and "align.v1" in versions
    assert len(set(versions)) == len(versions) and all(" " not in v for v in versions)
    for fact in data["facts"]:
        assert set(fact) == {"id", "status", "score", "members", "conflicts"}
        assert fact["status"] in {"shared", "unique", "conflict"}
        for member in fact["members"]:
            assert set(member) in ({"article", "sentence"}, {"article", "sentence", "span", "text"})
            if "span" in member:  # a clause: its text is that part of the sentence
                start, end = member["span"]
                assert sentences[member["sentence"]][start:end] == member["text"] != ""
    for item in data["brief"]:
        assert set(item) == {"text", "fact", "citations"} and item["citations"]
    value_fields = {"article", "sentence", "span", "text", "value", "low", "high", "unit", "qualifier"}
    for figure in data["figures"]:
        assert set(figure) == {"key", "label", "status", "values"} and figure["values"]
        assert figure["status"] in {"agree", "update", "disagreement", "correction"}
        for value in figure["values"]:
            assert set(value) == value_fields | {"attribution", "time"}
            start, end = value["span"]
            assert sentences[value["sentence"]][start:end] == value["text"]
    assert any(f["key"].startswith("age:") for f in data["figures"])  # "Putin, 70," in both seeds
    md = comparison_markdown(result)
    assert md.startswith("# Kabar comparison") and "## Brief" in md and "## Shared facts" in md


def test_report_markdown_names_outlets_not_ids() -> None:
    articles = [a for a in read_paths([SEED_A, SEED_B]) if isinstance(a, Article)]
    named = [replace(articles[0], source="Kompas"), replace(articles[1], source="Kompas")]
    result = compare(annotate(named), embedder=Embedder(disk_cache=False))
    md = comparison_markdown(result)
    assert "Kompas (1)" in md and "Kompas (2)" in md
    assert SEED_A.stem not in md and SEED_B.stem not in md
    brief = md.split("## Brief")[1].split("##")[0]
    assert re.search(r"\[Kompas \([12]\) \w+", brief)
    data = comparison_dict(result)  # the JSON keeps the article ids
    assert {c["article"] for b in data["brief"] for c in b["citations"]} <= {SEED_A.stem, SEED_B.stem}
    # One outlet per article: the outlet alone; no outlet: the article id.
    docs = result.annotation.articles
    assert source_labels(docs) == {SEED_A.stem: "Kompas (1)", SEED_B.stem: "Kompas (2)"}
    other = annotate([named[0], articles[1]])
    assert source_labels(other.articles) == {SEED_A.stem: "Kompas", SEED_B.stem: SEED_B.stem}
