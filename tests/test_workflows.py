"""The use cases the shells share, on hand-built and real inputs."""

from __future__ import annotations

import pytest

from kabar.errors import MalformedRecord, NothingUsable
from kabar.records import AnnotatedArticle, Article, Failure, Mention, Sentence
from kabar.workflows import compare_items, iob_lines, parse_pair_line, parse_records, relate_lines


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        ('{"premise": "Harga naik."}', "non-empty strings"),
        ('{"premise": "Harga naik.", "hypothesis": "  "}', "non-empty strings"),
        ('{"premise": 5, "hypothesis": "Harga naik."}', "non-empty strings"),
    ],
)
def test_workflows_pair_line_refuses_what_is_not_a_pair(line: str, reason: str) -> None:
    with pytest.raises(MalformedRecord, match=reason) as error:
        parse_pair_line(line, 7)
    assert error.value.path == "line 7"


def test_workflows_pair_line_ids_default_to_the_line_number() -> None:
    assert parse_pair_line('{"premise": "A naik.", "hypothesis": "A turun."}', 3) == (
        "3",
        "A naik.",
        "A turun.",
    )
    assert parse_pair_line('{"id": 9, "premise": "A.", "hypothesis": "B."}', 3)[0] == "9"


def test_workflows_relate_lines_skips_and_names_bad_lines() -> None:
    lines = [
        '{"id": "x", "premise": "Harga naik 5 persen.", "hypothesis": "Harga naik 15 persen."}',
        "",
        "oops",
    ]
    result = relate_lines(lines)
    assert [(r.id, r.relation) for r in result.relations] == [("x", "conflict")]
    assert [(f.path, f.code) for f in result.skipped] == [("line 3", "malformed")]


def test_workflows_parse_records_names_bad_ones() -> None:
    items = parse_records(
        [
            {"id": "a", "text": "Banjir melanda Bekasi."},
            {"title": "tanpa teks"},
            {"text": "Gempa mengguncang Garut pada Senin pagi.", "url": None},
        ]
    )
    assert isinstance(items[0], Article) and items[0].id == "a"
    assert isinstance(items[1], Failure) and items[1].path == "article[2]"
    assert isinstance(items[2], Article) and items[2].id == "article-3"


def test_workflows_compare_with_nothing_usable_says_why() -> None:
    with pytest.raises(NothingUsable, match="no article could be read: not text") as error:
        compare_items([Failure("a.bin", "not text", "binary")])
    assert [f.path for f in error.value.failures] == ["a.bin"]


def test_workflows_iob_lines_tag_tokens_of_mentions() -> None:
    text = "Joko Widodo tiba di Sumedang."
    title = "Foto: arsip"
    full = f"{text} {title}"
    sentences = (Sentence("a", "a:s1", 0, len(text), text, 0),
                 Sentence("a", "a:s2", len(text) + 1, len(full), title, 0, "credit"))  # fmt: skip
    mentions = (Mention("a", 0, 11, "Joko Widodo", "PER"), Mention("a", 20, 28, "Sumedang", "LOC"))
    doc = AnnotatedArticle(article=Article(id="a", text=full), sentences=sentences, mentions=mentions)
    assert iob_lines(doc) == [
        "Joko\tB-PER",
        "Widodo\tI-PER",
        "tiba\tO",
        "di\tO",
        "Sumedang\tB-LOC",
        ".\tO",
        "",
    ]
