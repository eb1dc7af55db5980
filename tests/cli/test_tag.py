from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_main import kabar
from tests.conftest import SEED_B


def test_tag_conll_keeps_tokens_and_sentence_breaks(tmp_path: Path) -> None:
    conll = tmp_path / "in.conll"
    conll.write_text(
        "Presiden\tNNP\nJoko\tNNP\nWidodo\tNNP\nmeresmikan\tVB\nBendungan\tNNP\nJatigede\tNNP\n.\tZ\n\n"
        "Ia\tPRP\nbertemu\tVB\nwarga\tNN\nSumedang\tNNP\n.\tZ\n",
        encoding="utf-8",
    )
    result = kabar("tag", "--conll", str(conll))
    assert result.returncode == 0, result.stderr
    blocks = [b for b in result.stdout.strip("\n").split("\n\n")]
    assert len(blocks) == 2
    rows = [line.split("\t") for line in blocks[0].splitlines()]
    assert [r[0] for r in rows] == ["Presiden", "Joko", "Widodo", "meresmikan", "Bendungan", "Jatigede", "."]
    assert all(len(r) == 2 and (r[1] == "O" or r[1][:2] in {"B-", "I-"}) for r in rows)
    assert rows[1][1] == "B-PER" and rows[2][1] == "I-PER"


def test_tag_plain_text_spans_point_into_text() -> None:
    result = kabar("tag", str(SEED_B), "--format", "json", "-q")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.splitlines()[0])
    text = SEED_B.read_text(encoding="utf-8")
    assert record["mentions"]
    for m in record["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"]
    assert {"Kim Myong Sik", "Lim Soo-suk"} <= {m["text"] for m in record["mentions"] if m["type"] == "PER"}


def test_tag_bad_conll_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.conll"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = kabar("tag", "--conll", str(bad))
    assert result.returncode == 3 and "Traceback" not in result.stderr and "bad.conll" in result.stderr


def test_tag_needs_input() -> None:
    result = kabar("tag")
    assert result.returncode == 2


def test_tag_model_alone_and_its_older_spelling_agree(tmp_path: Path) -> None:
    conll = tmp_path / "in.conll"
    conll.write_text(
        "Presiden\nJoko\nWidodo\nmeresmikan\nBendungan\nJatigede\ndi\nSumedang\n.\n", encoding="utf-8"
    )
    alone = kabar("tag", "--conll", str(conll), "--model-alone")
    older = kabar("tag", "--conll", str(conll), "--extractor", "model")
    assert alone.returncode == 0 and older.returncode == 0, alone.stderr + older.stderr
    assert alone.stdout == older.stdout and "B-PER" in alone.stdout
    rules = kabar("tag", "--conll", str(conll), "--ner", "rules", "--model-alone")
    assert rules.returncode == 2 and "--model-alone" in rules.stderr


def test_annotate_refuses_html() -> None:
    result = kabar("annotate", str(SEED_B), "--format", "html", "-q")
    assert result.returncode == 2 and "html" in result.stderr and not result.stdout
