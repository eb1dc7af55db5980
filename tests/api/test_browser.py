"""The web page in headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


def _serve(db: str) -> Iterator[str]:
    import uvicorn

    from kabar.api.app import Settings, create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(Settings(db=db)), host="127.0.0.1", port=port, log_level="warning")
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


@pytest.fixture(scope="module")
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    tab = browser.new_page(viewport={"width": 1280, "height": 1000})
    yield tab
    tab.close()


def test_browser_event_citation_highlights_its_sentence(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/?sort=articles")
    page.wait_for_selector("a.event-link")
    page.click("a.event-link:has-text('Putin')")
    page.wait_for_selector("ol.brief a.cite")
    cite = page.locator("ol.brief a.cite").first
    sentence_id = cite.get_attribute("data-sentence")
    cite.click()
    page.wait_for_timeout(500)
    highlighted = page.locator(".s.highlight")
    assert highlighted.count() == 1
    assert highlighted.get_attribute("id") == "s-" + "".join(
        c if c.isalnum() or c in "_-" else "-" for c in sentence_id
    )
    assert page.locator("#sources .source").count() == 2
    assert page.locator("#entities tr").count() > 5 and page.locator("#timeline").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "event_page.png"), full_page=False)
    assert (ARTIFACTS / "event_page.png").stat().st_size > 10_000


def test_browser_hostile_article_is_text(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.wait_for_selector("a.event-link")
    page.click("a.event-link:has-text('Tambang')")
    page.wait_for_selector("#sources .source")
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#sources script").count() == 0 and page.locator("#sources img").count() == 0
    assert "<script>window.__pwned = 1</script>" in page.locator("#sources").inner_text()


def test_browser_compare_page_without_storing(server: str, page) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import DATA

    before = page.request.get(server + "/api/health").json()["counts"]["articles"]
    page.goto(server + "/compare")
    a = (DATA / "pairs" / "cianjur_a.txt").read_text(encoding="utf-8")
    b = (DATA / "pairs" / "cianjur_b.txt").read_text(encoding="utf-8")
    page.fill("#paste", a + "\n---\n" + b)
    page.click("#run")
    page.wait_for_selector("ol.brief li")
    assert page.locator("#sources .source").count() == 2
    assert page.request.get(server + "/api/health").json()["counts"]["articles"] == before
