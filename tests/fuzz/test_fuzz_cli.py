"""The audit's hostile inputs through the command line: every run ends with an exit code a user can act on
(never 70, an internal error), and every skipped input is one line naming its file and record."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.test_main import kabar
from tests.conftest import SEED_A

GOOD = "Banjir melanda Jakarta Timur pada Selasa. Sedikitnya 300 warga mengungsi, kata petugas BPBD setempat."


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "seed.txt").write_text(SEED_A.read_text(encoding="utf-8"), encoding="utf-8")
    lines = [
        "[" * 100_000,
        json.dumps({"id": "sur", "text": GOOD + " \ud800"}),
        json.dumps({"id": "far", "text": GOOD + " Air surut besok atau 99999999 hari lagi.",
                    "published": "9999-12-31T23:00:00+14:00"}),
        json.dumps({"id": "nul", "text": GOOD + " satu\x00dua", "title": "Judul\x00"}),
    ]  # fmt: skip
    (root / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(os.path.join(os.fsencode(root), b"caf\xff.txt"), "wb") as handle:
        handle.write((GOOD + " Kafe.").encode())
    os.symlink("/dev/zero", root / "zero.txt")
    os.mkfifo(root / "pipe.txt")
    return root


@pytest.mark.parametrize("command", ["ingest", "annotate"])
def test_fuzz_cli_hostile_directory_is_reported_per_record(
    hostile: Path, tmp_path: Path, command: str
) -> None:
    extra = (
        ["--db", str(tmp_path / "k.sqlite")] if command == "ingest" else ["-o", str(tmp_path / "out.json")]
    )
    result = kabar(command, str(hostile), "-q", *extra)
    assert result.returncode == 1, result.stderr  # some inputs skipped, the rest processed
    skipped = sorted(line for line in result.stderr.splitlines() if line.startswith("kabar: skipped"))
    assert [line.split(":", 2)[1].split(" ", 2)[2] for line in skipped] == [
        f"{hostile}/pipe.txt", f"{hostile}/records.jsonl", f"{hostile}/records.jsonl", f"{hostile}/zero.txt"]  # fmt: skip
    assert f"{hostile}/records.jsonl:1: not an article object" in result.stderr
    assert f"{hostile}/records.jsonl:2: field 'text' holds a lone surrogate" in result.stderr
