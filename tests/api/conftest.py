from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kabar.api.app import Settings, create_app
from kabar.corpus import Corpus
from kabar.embed import Embedder
from kabar.ingest.feeds import read_sources
from kabar.store import open_store
from tests.conftest import DATA, SEEDS

HOSTILE_TEXT = (
    "Demo Tolak Tambang <script>window.__pwned = 1</script>\n\n"
    "Ratusan warga Desa Wadas, Purworejo, berunjuk rasa menolak tambang batu andesit pada Selasa (8/2/2022). "
    '<img src=x onerror="window.__pwned = 2"> Polisi menahan 64 warga lalu membebaskan mereka keesokan harinya.\n\n'
    "\"Kami hanya ingin tanah kami tetap hijau,\" kata seorang warga <b onclick='window.__pwned=3'>Wadas</b>."
)


SLOW_MACHINE = {"compute_base": 10.0, "compute_rate": 1.0, "queue_seconds": 10.0}
"""Compute deadlines far longer than the served ones (10 s, and 1 s per 1,000 characters), and up to 10 s of waiting
for a worker (a worker still loading its models on a busy machine is not free): the machine running the tests may
be busy, and no test may depend on its speed; the tests of the budgets set their own."""


def settings(db: str, **options: object) -> Settings:
    return Settings(db=db, **{**SLOW_MACHINE, **options})  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("api") / "k.sqlite")
    store = open_store(db)
    hostile = tmp_path_factory.mktemp("hostile") / "hostile.txt"
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    Corpus(store, Embedder(disk_cache=False)).ingest(
        read_sources([str(SEEDS), str(DATA / "pairs"), str(hostile)])
    )
    store.close()
    return db


@pytest.fixture()
def client(corpus_db: str, tmp_path: Path) -> TestClient:
    return TestClient(
        create_app(settings(corpus_db)), raise_server_exceptions=False, base_url="http://localhost"
    )


@pytest.fixture()
def db(corpus_db: str, tmp_path: Path) -> str:
    """A private copy of the example corpus, for tests that write."""
    copy = tmp_path / "copy.sqlite"
    shutil.copy(corpus_db, copy)
    return str(copy)


def local_client(db: str, **options: object) -> TestClient:
    """A client of an app on ``db`` that answers as a server would (errors as responses, host localhost)."""
    return TestClient(create_app(settings(db, **options)), raise_server_exceptions=False,
                      base_url="http://localhost")  # fmt: skip


def article_count(db: str) -> int:
    store = open_store(db)
    try:
        return store.counts()["articles"]
    finally:
        store.close()


@pytest.fixture(scope="session")
def outlets_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Articles of two events by four outlets (tests/data/outlets)."""
    db = str(tmp_path_factory.mktemp("outlets") / "k.sqlite")
    store = open_store(db)
    Corpus(store, Embedder(disk_cache=False)).ingest(read_sources([str(DATA / "outlets")]))
    store.close()
    return db


@pytest.fixture()
def outlets_client(outlets_db: str) -> TestClient:
    return TestClient(
        create_app(settings(outlets_db)), raise_server_exceptions=False, base_url="http://localhost"
    )


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
"""Screenshots the browser tests keep, to look at how the pages read."""


def _serve(db: str, **options: Any) -> Iterator[str]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(settings(db, **options))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(100):
        if instance.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(corpus_db: str) -> Iterator[str]:
    yield from _serve(corpus_db)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                     "--disable-background-networking", "--disable-component-update", "--disable-sync"])  # fmt: skip
        yield instance
        instance.close()
