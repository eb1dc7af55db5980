from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.cli.test_main import kabar
from tests.conftest import SEED_A, SEEDS


def test_compare_cli_json(tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    result = kabar("compare", str(SEEDS), "-f", "json", "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["facts"] and data["brief"]


def test_compare_cli_one_article_notes_it() -> None:
    result = kabar("compare", str(SEED_A), "-q")
    assert result.returncode == 0 and "only one source" in result.stderr
    assert "## Brief" in result.stdout


def test_compare_cli_nothing_usable(tmp_path: Path) -> None:
    (tmp_path / "x.bin").write_bytes(b"\x00\x01\x02")
    result = kabar("compare", str(tmp_path / "x.bin"))
    assert result.returncode == 3 and "Traceback" not in result.stderr


def test_compare_cli_output_whole_and_cache_kept_when_it_ends(tmp_path: Path) -> None:
    """The process ends without Python's teardown once the output is written: stdout still arrives whole, the exit
    code stays, and the vector cache it wrote serves the next run."""
    (tmp_path / "x.bin").write_bytes(b"\x00\x01\x02")
    env = {**os.environ, "KABAR_CACHE": str(tmp_path / "cache")}
    env.pop("KABAR_NO_CACHE", None)
    command = [
        sys.executable,
        "-m",
        "kabar",
        "compare",
        str(SEEDS),
        str(tmp_path / "x.bin"),
        "-f",
        "json",
        "-q",
    ]
    runs = [subprocess.run(command, capture_output=True, text=True, env=env, timeout=300) for _ in range(2)]
    for run in runs:
        assert run.returncode == 1 and "skipped" in run.stderr  # one input skipped, the rest compared
    first, second = (json.loads(run.stdout) for run in runs)
    assert first["facts"] and first == second
    cache = sqlite3.connect(tmp_path / "cache" / "embeddings-use-m3.sqlite")
    assert cache.execute("SELECT count(*) FROM vectors").fetchone()[0] > 20


def test_relate_cli(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        '{"id": "a", "premise": "Harga beras naik 5 persen pada Januari.", "hypothesis": "Harga beras naik 15 persen pada Januari."}\n'
        '{"id": "b", "premise": "Kementerian membantah kabar itu.", "hypothesis": "Kementerian mengakui kabar itu."}\n'
        "not json\n"
        '{"id": "c", "premise": "", "hypothesis": "x"}\n',
        encoding="utf-8",
    )
    result = kabar("relate", str(pairs))
    assert result.returncode == 1 and "skipped line 3" in result.stderr and "skipped line 4" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["relation"] == "conflict" and rows[0]["kind"] == "number"
    assert {r["model"] for r in rows} == {"relate.e5.v1"}
    assert all(0 <= r["score"] <= 1 for r in rows)
    fast = [json.loads(line) for line in kabar("relate", str(pairs), "--tier", "fast").stdout.splitlines()]
    assert fast[0]["relation"] == "conflict" and fast[0]["kind"] == "number"
    assert fast[1]["relation"] == "conflict" and fast[1]["kind"] == "negation"  # denial against admission
    assert {r["model"] for r in fast} == {"relate.v1"}
