"""The eval gate: a pinned baseline can rise, never fall without a reason on record."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from eval import gate


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    gate.add_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.fixture()
def pinned(tmp_path: Path) -> Path:
    path = tmp_path / "ner.json"
    path.write_text(
        json.dumps({"nergrit": {"micro_f1": 71.2, "macro_f1": 67.7}, "speed": 10.0}), encoding="utf-8"
    )
    return path


def test_gate_raises_a_baseline(pinned: Path, tmp_path: Path) -> None:
    notes = tmp_path / "LOWERED.md"
    fallen = gate.write_baseline(
        pinned, {"nergrit": {"micro_f1": 72.0, "macro_f1": 67.7}, "speed": 11.0}, notes=notes
    )
    assert not fallen and not notes.exists()
    assert json.loads(pinned.read_text())["nergrit"]["micro_f1"] == 72.0


def test_gate_refuses_to_lower_without_a_reason(pinned: Path, tmp_path: Path) -> None:
    before = pinned.read_text()
    with pytest.raises(SystemExit, match=re.escape("nergrit.micro_f1: 71.19 < 71.2")):
        gate.write_baseline(
            pinned, {"nergrit": {"micro_f1": 71.19, "macro_f1": 70.0}}, notes=tmp_path / "n.md"
        )
    assert pinned.read_text() == before  # nothing written, not even the figure that rose
    with pytest.raises(SystemExit, match="lower-baseline"):
        gate.write_baseline(pinned, {"speed": 9.0}, reason="  ", notes=tmp_path / "n.md")


def test_gate_lowers_with_a_reason_and_records_it(pinned: Path, tmp_path: Path) -> None:
    notes = tmp_path / "LOWERED.md"
    fallen = gate.write_baseline(
        pinned, {"nergrit": {"micro_f1": 70.5, "macro_f1": 68.0}}, "new test split", notes
    )
    assert fallen == ["nergrit.micro_f1: 70.5 < 71.2"]
    written = json.loads(pinned.read_text())
    assert written == {"nergrit": {"micro_f1": 70.5, "macro_f1": 68.0}, "speed": 10.0}  # unmeasured kept
    note = notes.read_text()
    assert "ner.json" in note and "nergrit.micro_f1: 70.5 < 71.2" in note and "new test split" in note


def test_gate_check_uses_the_tolerance(pinned: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gate.apply(_args("--check"), pinned, {"nergrit": {"micro_f1": 71.15, "macro_f1": 67.7}}, tolerance=0.1)
    assert "at or above" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        gate.apply(_args("--check"), pinned, {"nergrit": {"micro_f1": 71.0, "macro_f1": 67.7}}, tolerance=0.1)
    assert exit_info.value.code == 1 and "nergrit.micro_f1" in capsys.readouterr().err


def test_gate_lower_flag_needs_write(pinned: Path) -> None:
    with pytest.raises(SystemExit, match="goes with --write-baseline"):
        gate.apply(_args("--lower-baseline", "why"), pinned, {"speed": 1.0}, tolerance=0.5)


def test_gate_every_eval_script_uses_it() -> None:
    scripts = sorted((Path(gate.__file__).parent).glob("eval_*.py"))
    assert scripts
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        assert "gate.apply(" in text and "BASELINE.write_text" not in text, script.name
