"""The command line's shared habits: inputs from - and URLs, one --format vocabulary, no database made by
mistake, progress with totals, a warning when compared articles are not one event, --source."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.cli.test_main import kabar
from tests.conftest import DATA, SEED_A, SEEDS

OUTLETS = DATA / "outlets"


@pytest.fixture(scope="module")
def page_server() -> Iterator[str]:
    """Serves tests/data on 127.0.0.1."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(DATA)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("cli") / "k.sqlite")
    added = kabar("ingest", str(OUTLETS), "--db", db, "-q")
    assert added.returncode == 0, added.stderr
    return db


def test_inputs_standard_input_and_urls(page_server: str) -> None:
    text = SEED_A.read_text(encoding="utf-8")
    piped = subprocess.run([sys.executable, "-m", "kabar", "annotate", "-"], input=text, capture_output=True,
                           text=True, timeout=300, check=False)  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    (article,) = json.loads(piped.stdout)["articles"]
    assert article["id"] == "stdin" and article["text"].startswith(text.strip()[:40])
    records = "\n".join(
        json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) for p in sorted(SEEDS.glob("*.txt"))
    )
    both = subprocess.run([sys.executable, "-m", "kabar", "compare", "-", "-f", "json"], input=records,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert both.returncode == 0, both.stderr
    assert {a["id"] for a in json.loads(both.stdout)["articles"]} == {p.stem for p in SEEDS.glob("*.txt")}
    fetched = kabar("annotate", page_server + "/html/news_page.html", "-f", "md")
    assert fetched.returncode == 0, fetched.stderr
    assert "1 article(s)" in fetched.stdout


def test_inputs_one_format_vocabulary(corpus: str) -> None:
    rows = json.loads(kabar("events", "--db", corpus, "--format", "json").stdout)
    lines = [json.loads(line) for line in kabar("events", "--db", corpus, "-f", "jsonl").stdout.splitlines()]
    table = list(csv.DictReader(io.StringIO(kabar("events", "--db", corpus, "-f", "csv").stdout)))
    assert [r["id"] for r in rows] == [r["id"] for r in lines] == [r["id"] for r in table]
    assert kabar("events", "--db", corpus, "-f", "md").stdout.startswith("| id | first_published")
    assert kabar("events", "--db", corpus, "--json").returncode == 2  # one vocabulary: --format
    hits = list(csv.DictReader(io.StringIO(kabar("search", "Jokowi", "--db", corpus, "-f", "csv").stdout)))
    assert len(hits) == 6 and {h["outlet"] for h in hits} == {"Kompas", "Detik", "Tempo", "Antara"}
    md = kabar("search", "Jokowi", "--db", corpus, "-f", "md", "--outlet", "Detik").stdout
    assert "**Joko Widodo**" in md and md.count("\n| detik |") == 1
    since = kabar("search", "Jokowi", "--db", corpus, "-f", "jsonl", "--since", "2019-08-27")
    assert [json.loads(x)["article"] for x in since.stdout.splitlines()] == ["antara-ibu-kota-2"]
    none = kabar("search", "gempa", "--db", corpus)
    assert none.returncode == 1 and "no article matches" in none.stderr


@pytest.mark.parametrize("command", [["events"], ["event", "ev000001"], ["search", "banjir"]])
def test_inputs_corpus_commands_refuse_a_missing_database(tmp_path: Path, command: list[str]) -> None:
    result = kabar(*command, "--db", str(tmp_path / "none.sqlite"), cwd=tmp_path)
    assert result.returncode == 2 and "no database at" in result.stderr
    assert not list(tmp_path.iterdir())  # nothing created, ./kabar.sqlite neither


def test_inputs_compare_warns_when_articles_are_not_one_event() -> None:
    mixed = kabar(
        "compare", str(SEEDS), str(OUTLETS / "kompas-2.txt"), str(OUTLETS / "antara.jsonl"), "-f", "json"
    )
    assert mixed.returncode == 0, mixed.stderr
    assert "warning: these 5 articles look like" in mixed.stderr
    assert any("look like" in n for n in json.loads(mixed.stdout)["notes"])
    one = kabar(
        "compare", str(OUTLETS / "kompas.txt"), str(OUTLETS / "detik.txt"), str(OUTLETS / "tempo.html")
    )
    assert one.returncode == 0 and "look like" not in one.stderr


def test_inputs_progress_lines_with_totals_when_not_a_terminal() -> None:
    result = kabar("annotate", str(OUTLETS), str(SEEDS), str(DATA / "pairs"), "-o", "/dev/null")
    lines = [line for line in result.stderr.splitlines() if line.startswith("kabar: annotating ")]
    assert len(lines) == 10 and lines[-1].startswith("kabar: annotating 11/11 (100%)")
    assert all("left" in line for line in lines)
    quiet = kabar("annotate", str(OUTLETS), "-o", "/dev/null", "-q")
    assert "annotating" not in quiet.stderr


def test_inputs_ingest_source_names_the_outlet(tmp_path: Path) -> None:
    db = str(tmp_path / "k.sqlite")
    kabar("ingest", str(SEEDS), "--db", db, "--source", "Warta Desa", "-q")
    listing = kabar("search", "Putin", "--db", db, "-f", "jsonl")
    assert {json.loads(line)["outlet"] for line in listing.stdout.splitlines()} == {"Warta Desa"}


def test_inputs_ingest_and_cluster_read_standard_input_and_urls(tmp_path: Path, page_server: str) -> None:
    db = str(tmp_path / "k.sqlite")
    records = (OUTLETS / "antara.jsonl").read_text(encoding="utf-8")
    piped = subprocess.run([sys.executable, "-m", "kabar", "ingest", "-", "--db", db, "--no-conflicts"],
                           input=records, capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert piped.returncode == 0 and "2 article(s) added" in piped.stderr, piped.stderr
    clustered = kabar(
        "cluster",
        page_server + "/outlets/tempo.html",
        str(OUTLETS / "kompas.txt"),
        str(OUTLETS / "detik.txt"),
    )
    assert clustered.returncode == 0, clustered.stderr
    assert len({json.loads(line)["event"] for line in clustered.stdout.splitlines()}) == 1
