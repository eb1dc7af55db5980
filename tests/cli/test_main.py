"""The command line as a user runs it: a real subprocess, real files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, SEED_A, SEEDS


def kabar(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kabar", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_main_help_lists_commands() -> None:
    result = kabar("--help")
    assert result.returncode == 0
    assert "annotate" in result.stdout
    sub = kabar("annotate", "--help")
    assert sub.returncode == 0 and "--format" in sub.stdout and "Example" in sub.stdout


def test_main_version() -> None:
    result = kabar("--version")
    assert result.returncode == 0 and result.stdout.startswith("kabar ")


def test_main_annotate_seeds_json(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = kabar("annotate", str(SEEDS), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [a["id"] for a in data["articles"]] == ["000_88221f3e0d7eafc3", "001_6da34223ceeac54f"]
    assert any(e["name"] == "Vladimir Putin" for e in data["entities"])
    # The document names the stages that made it; each article lists those it went through.
    assert data["versions"][-1] == "link.v1" and data["articles"][0]["stages"] == data["versions"]


def test_main_annotate_markdown_stdout() -> None:
    result = kabar("annotate", str(SEED_A), "--format", "md")
    assert result.returncode == 0
    assert result.stdout.startswith("# Kabar annotation")


def test_main_junk_reports_each_failure_and_keeps_the_rest(junk_dir: Path) -> None:
    result = kabar("annotate", str(junk_dir), "-q")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("kabar: skipped ")]
    assert len(skipped) == 7
    assert any("image.png" in line and "binary" in line for line in skipped)
    data = json.loads(result.stdout)
    assert sorted(a["id"] for a in data["articles"]) == ["good", "j1", "latin1", "truncated"]
    assert len(data["failures"]) == 7


def test_main_nothing_usable(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = kabar("annotate", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr and "no article could be read" in result.stderr


def test_main_bad_option_is_a_usage_error() -> None:
    result = kabar("annotate", str(SEED_A), "--format", "pdf")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_main_html_input() -> None:
    result = kabar("annotate", str(DATA / "html" / "hostile.html"), "-q")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    text = data["articles"][0]["text"]
    assert "<script" not in text and "alert(" not in text


def test_main_output_to_a_device_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    import os
    import threading

    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = kabar("annotate", str(SEED_A), "-o", str(fifo), "-q")
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert fifo.is_fifo() and json.loads(received[0])["articles"]


@pytest.mark.parametrize("command", ["compare", "events", "watch", "ingest", "search", "serve", "batch"])
def test_main_help_names_no_python_types(command: str) -> None:
    result = kabar(command, "--help")
    assert result.returncode == 0
    assert not re.search(r"<(bool|int|float|str|list\[|Path|int range)", result.stdout), result.stdout
