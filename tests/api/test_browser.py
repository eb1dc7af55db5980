"""The web page in headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import ARTIFACTS, CHROMIUM

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


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
    # The seed's photo caption states facts: labelled from the catalogue, not struck through like its credit.
    caption = page.locator("#sources .s.caption")
    assert caption.count() == 1 and "boilerplate" not in (caption.get_attribute("class") or "")
    label = caption.evaluate("n => n.previousElementSibling.textContent")
    messages = page.evaluate("fetch('/api/messages').then(r => r.json())")["messages"]  # as the page asks
    assert label == messages["source.caption"] != ""
    decoration = "n => getComputedStyle(n).textDecorationLine"
    assert caption.evaluate(decoration) == "none"
    assert (
        page.locator("#sources .s.boilerplate[title='credit']").first.evaluate(decoration) == "line-through"
    )
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


def test_browser_page_runs_under_its_csp(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    """The page, its event view and the API docs work with the server's Content-Security-Policy enforced."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    refused: list[str] = []
    tab.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    answer = tab.goto(server + "/?sort=articles")
    assert answer is not None and "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    tab.click("a.event-link:has-text('Putin')")
    tab.wait_for_selector("ol.brief a.cite")
    tab.goto(server + "/docs")
    tab.wait_for_selector(".swagger-ui .opblock")
    context.close()
    assert refused == []
