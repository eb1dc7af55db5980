"""compare on the seed articles, on edits of them that contradict each other, and on other real-event articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kabar.compare.run import compare
from kabar.embed import Embedder
from kabar.ingest import read_paths
from kabar.pipeline import annotate
from kabar.records import Article, Comparison, Fact, SentenceRef
from tests.conftest import DATA, SEED_A, SEED_B

PAIRS = DATA / "pairs"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(disk_cache=False)


def run(paths: list[Path], embedder: Embedder) -> Comparison:
    return compare(annotate(read_paths(paths)), embedder=embedder)


def edited(tmp_path: Path, seed: Path, old: str, new: str) -> Path:
    text = seed.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / seed.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def texts(comparison: Comparison) -> dict[str, str]:
    return {s.id: s.text for d in comparison.annotation.articles for s in d.sentences}


def stated(comparison: Comparison, ref: SentenceRef) -> str:
    """What a fact member states: its sentence, or the clause of it."""
    text = texts(comparison)[ref.sentence]
    return text if ref.span is None else text[ref.span[0] : ref.span[1]]


def fact_with(comparison: Comparison, fragment: str) -> Fact:
    for fact in comparison.facts:
        if any(fragment in stated(comparison, m) for m in fact.members):
            return fact
    raise AssertionError(f"no fact with {fragment!r}")


@pytest.fixture(scope="session")
def seeds(embedder: Embedder) -> Comparison:
    return run([SEED_A, SEED_B], embedder)


@pytest.mark.parametrize(
    "fragment",
    [
        "bertemu dalam pertemuan yang langka",  # the meeting
        "Pertemuan dengan Presiden Rusia Vladimir Putin datang",  # the meeting, a clause of a two-fact sentence
        "Putin mengajak Kim berkeliling ke tempat peluncuran roket",  # the tour, Kim's questions about rockets
        "Itulah mengapa kami datang ke sini",  # Putin's answer on satellites
        "Moskow dan Pyongyang telah membantah tuduhan tersebut",  # the denials
        "Segala bentuk kerja sama dari negara mana pun",  # the sanctions warnings
    ],
)
def test_compare_seeds_shared_facts(seeds: Comparison, fragment: str) -> None:
    fact = fact_with(seeds, fragment)
    assert fact.status == "shared"
    assert {m.article for m in fact.members} == {SEED_A.stem, SEED_B.stem}


@pytest.mark.parametrize(
    "fragment",
    [
        "Kim bersulang dengan segelas anggur Rusia",
        "Sekretaris Jenderal PBB Antonio Guterres mengisyaratkan",
        "jabat tangan yang berlangsung sekitar 40 detik",
        "setelah Shoigu, menteri pertahanan Rusia",
        "menembakkan dua misil balistik",  # the clause of a sentence whose other clause is the shared meeting
    ],
)
def test_compare_seeds_unique_facts(seeds: Comparison, fragment: str) -> None:
    assert fact_with(seeds, fragment).status == "unique"


def test_compare_seeds_have_no_conflict(seeds: Comparison) -> None:
    assert [f for f in seeds.facts if f.status == "conflict"] == []


def test_compare_seeds_brief_cites_and_repeats_nothing(seeds: Comparison) -> None:
    sentences = texts(seeds)
    assert 1 <= len(seeds.brief) <= 10
    for item in seeds.brief:
        assert item.citations
        # Extractive: the text is a cited sentence, or a cited clause without its opening conjunction.
        words = item.text.rstrip(".").casefold().split()
        assert any(
            " ".join(words) in " ".join(sentences[c.sentence].casefold().split()) for c in item.citations
        )
    assert len({b.text for b in seeds.brief}) == len(seeds.brief)
    boilerplate = {s.id for d in seeds.annotation.articles for s in d.sentences if s.boilerplate}
    assert not any(c.sentence in boilerplate for b in seeds.brief for c in b.citations)


def _conflict(comparison: Comparison, kind: str) -> Fact:
    found = [
        f for f in comparison.facts if f.status == "conflict" and any(c.kind == kind for c in f.conflicts)
    ]
    assert found, [(f.status, [c.kind for c in f.conflicts]) for f in comparison.facts if f.conflicts]
    return found[0]


CONFLICT_EDITS = [
    ("number", SEED_B, "karena perang 18 bulan", "karena perang 8 bulan"),
    ("number", SEED_A, "lebih dari 18 bulan perang", "lebih dari 30 bulan perang"),
    ("speaker", SEED_B, "Putin dikutip oleh media negara Rusia mengatakan", "Kim dikutip oleh media negara Rusia mengatakan"),
    ("speaker", SEED_A, "Putin menjawab:", "Kim menjawab:"),
    ("negation", SEED_A, "telah membantah tuduhan tersebut", "telah mengakui tuduhan tersebut"),
    ("negation", SEED_B, "Korea Utara membantah klaim tersebut", "Korea Utara mengakui klaim tersebut"),
    ("quote", SEED_B, "itulah sebabnya kami datang ke sini", "itulah sebabnya kami tidak datang ke sini"),
    # Every mention, the photo caption's too: a caption's claims take part in comparison.
    ("place", SEED_A, "Kosmodrom Vostochny", "Kosmodrom Baikonur"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "seed", "old", "new"), CONFLICT_EDITS)
def test_compare_reports_edited_conflict(
    tmp_path: Path, embedder: Embedder, kind: str, seed: Path, old: str, new: str
) -> None:
    changed = edited(tmp_path, seed, old, new)
    other = SEED_B if seed == SEED_A else SEED_A
    result = run([changed, other] if seed == SEED_A else [other, changed], embedder)
    fact = _conflict(result, kind)
    conflict = next(c for c in fact.conflicts if c.kind == kind)
    assert {v.article for v in conflict.values} == {SEED_A.stem, SEED_B.stem}
    sentences = texts(result)
    edited_sentence = next(v.sentence for v in conflict.values if v.article == seed.stem)
    assert new.split()[-1] in sentences[edited_sentence] or new in sentences[edited_sentence]
    brief = [b for b in result.brief if b.fact == fact.id]
    assert brief and len(brief[0].citations) >= 2


def test_compare_real_pair_agrees_on_the_figures(embedder: Embedder) -> None:
    result = run([PAIRS / "cianjur_a.txt", PAIRS / "cianjur_b.txt"], embedder)
    assert [f for f in result.facts if f.status == "conflict"] == []
    assert fact_with(result, "162 orang meninggal").status == "shared"


def test_compare_real_pair_date_and_number_edits(tmp_path: Path, embedder: Embedder) -> None:
    # "sedikitnya 162" agrees with any higher toll; a lower one contradicts it.
    b = edited(tmp_path, PAIRS / "cianjur_b.txt", "mengatakan 162 orang", "mengatakan 62 orang")
    result = run([PAIRS / "cianjur_a.txt", b], embedder)
    _conflict(result, "number")
    b2 = edited(tmp_path, PAIRS / "cianjur_b.txt", "Senin (21/11/2022)", "Selasa (22/11/2022)")
    result = run([PAIRS / "cianjur_a.txt", b2], embedder)
    _conflict(result, "date")


def test_compare_across_languages(embedder: Embedder) -> None:
    result = run([PAIRS / "cianjur_a.txt", PAIRS / "cianjur_en.txt"], embedder)
    assert any("several languages" in n for n in result.notes)
    assert fact_with(result, "Sebagian besar korban adalah warga").status == "shared"


def test_compare_single_article_says_so(embedder: Embedder) -> None:
    result = run([SEED_A], embedder)
    assert any("only one source" in n for n in result.notes)
    assert all(f.status == "unique" for f in result.facts) and result.brief


def test_compare_duplicate_is_not_corroboration(tmp_path: Path, embedder: Embedder) -> None:
    copy = tmp_path / "copy_of_a.txt"
    copy.write_text(SEED_A.read_text(encoding="utf-8").replace("[ka/jm]", "[ab/cd]"), encoding="utf-8")
    result = run([SEED_A, copy], embedder)
    assert [(d.article, d.duplicate_of) for d in result.duplicates] == [("copy_of_a", SEED_A.stem)]
    assert all(f.status == "unique" for f in result.facts)


def _digits(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


@pytest.mark.parametrize("pair", [("cianjur_a.txt", "cianjur_b.txt"), ("cianjur_a.txt", "cianjur_en.txt")])
def test_compare_brief_numbers_are_in_every_citation(embedder: Embedder, pair: tuple[str, str]) -> None:
    result = run([PAIRS / pair[0], PAIRS / pair[1]], embedder)
    sentences = texts(result)
    for line in result.brief:
        if line.text.startswith(("Sumber berbeda", "Sources disagree")):
            continue  # a dispute: each value is checked against its own source below
        for ref in line.citations:
            assert _digits(line.text) <= _digits(sentences[ref.sentence]), (
                line.text,
                sentences[ref.sentence],
            )


def test_compare_disputed_toll_opens_the_brief(tmp_path: Path, embedder: Embedder) -> None:
    b = edited(tmp_path, PAIRS / "cianjur_b.txt", "mengatakan 162 orang", "mengatakan 62 orang")
    result = run([PAIRS / "cianjur_a.txt", b], embedder)
    dead = next(f for f in result.figures if f.key == "dead" and f.status == "disagreement")
    assert {v.value for v in dead.values} == {162.0, 62.0}
    first = result.brief[0]
    assert first.text.startswith("Sumber berbeda soal korban meninggal:")
    sentences = texts(result)
    # Each outlet's part of the line holds that outlet's value, and its citation states it.
    for part, ref in zip(first.text.split("; "), first.citations, strict=True):
        value = next(v for v in dead.values if v.article == ref.article)
        assert value.text in part and value.text in sentences[ref.sentence]


def test_compare_status_told_differently_is_a_status_figure(embedder: Embedder) -> None:
    texts_ = [
        (
            "a",
            "2022-09-01T09:00:00+07:00",
            "Harga BBM\n\nHarga Pertalite belum naik hingga Kamis pagi, kata petugas SPBU di Jakarta.",
        ),
        (
            "b",
            "2022-09-03T15:00:00+07:00",
            "Harga BBM\n\nPemerintah resmi menaikkan harga Pertalite menjadi Rp 10.000 per liter pada Sabtu.",
        ),
    ]
    articles = [Article(id=i, text=t, published=p, source=i.upper()) for i, p, t in texts_]
    result = compare(annotate(articles), embedder=embedder)
    status = next(f for f in result.figures if f.key == "status:naik")
    assert status.status == "update"
    assert [(v.article, v.text) for v in status.values] == [("a", "belum naik"), ("b", "menaikkan")]


def test_compare_a_noun_of_the_verb_does_not_state_it_happened(embedder: Embedder) -> None:
    texts_ = [
        (
            "a",
            "2024-05-27T15:00:00+07:00",
            "UKT\n\nMenteri Pendidikan membatalkan kenaikan UKT di semua perguruan tinggi negeri tahun ini.",
        ),
        (
            "b",
            "2024-05-27T16:00:00+07:00",
            "UKT\n\nKenaikan UKT di perguruan tinggi negeri tahun ini ramai diprotes mahasiswa.",
        ),
    ]
    articles = [Article(id=i, text=t, published=p, source=i.upper()) for i, p, t in texts_]
    result = compare(annotate(articles), embedder=embedder)
    assert [f for f in result.figures if f.key.startswith("status:")] == []
    assert [c for f in result.facts for c in f.conflicts if c.kind == "status"] == []


def test_compare_english_report_gives_the_same_figures(embedder: Embedder) -> None:
    result = run([PAIRS / "cianjur_a.txt", PAIRS / "cianjur_en.txt"], embedder)
    by_key = {f.key: f for f in result.figures}
    # "killing at least 162 people" and "sedikitnya 162 orang meninggal dunia": one figure, agreed.
    assert by_key["dead"].status == "agree"
    assert {v.article for v in by_key["dead"].values} == {"cianjur_a", "cianjur_en"}
    assert {v.value for v in by_key["magnitude"].values} == {5.6}


def test_compare_captions_take_part_but_are_not_brief_prose(seeds: Comparison) -> None:
    captions = {s.id for d in seeds.annotation.articles for s in d.sentences if s.boilerplate == "caption"}
    assert captions
    # A photo caption states facts: it is a member of a fact like any statement...
    assert any(m.sentence in captions for f in seeds.facts for m in f.members)
    # ...but never what the brief says.
    assert not any(c.sentence in captions for b in seeds.brief for c in b.citations)


def test_compare_each_reports_own_day_is_no_date_dispute(tmp_path: Path, embedder: Embedder) -> None:
    from dataclasses import replace

    from kabar.records import Article

    b = edited(tmp_path, PAIRS / "cianjur_b.txt", "Senin (21/11/2022)", "Selasa (22/11/2022)")
    a_article, b_article = read_paths([PAIRS / "cianjur_a.txt", b])
    assert isinstance(a_article, Article) and isinstance(b_article, Article)

    def dates_disputed(a_day: str, b_day: str) -> bool:
        articles = [replace(a_article, published=f"{a_day}T20:00:00+07:00"),
                    replace(b_article, published=f"{b_day}T09:00:00+07:00")]  # fmt: skip
        result = compare(annotate(articles), embedder=embedder)
        return any(c.kind == "date" for f in result.facts for c in f.conflicts)

    # Monday's report names Monday, Tuesday's names Tuesday: each names its own day, no dispute...
    assert not dates_disputed("2022-11-21", "2022-11-22")
    # ...but two reports of the same day naming two days do dispute.
    assert dates_disputed("2022-11-22", "2022-11-22")


def test_compare_a_postponed_copula_is_no_status_dispute(embedder: Embedder) -> None:
    # Real reports of a minimum-wage decision: "diundur jadi …" in one against "naik menjadi …" in others.
    import json

    from kabar.records import Article

    path = (
        Path(__file__).resolve().parents[2]
        / "eval"
        / "devsets"
        / "compare"
        / "ump-jambi-2023"
        / "articles.jsonl"
    )
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [Article(id=r["id"], text=r["text"], source=r.get("source"), published=r.get("published"))
                for r in rows]  # fmt: skip
    result = compare(annotate(articles), embedder=embedder)
    statuses = [c for f in result.facts for c in f.conflicts if c.kind == "status"]
    assert not any(v.text.endswith("jadi") for c in statuses for v in c.values), statuses
