"""The analyst's pages in headless Chromium: search, who said what, outlets, charts, the language switch.

Screenshots are kept in tests/artifacts/ to look at how the pages read.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import ARTIFACTS, CHROMIUM, _serve

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def outlets_server(outlets_db: str) -> Iterator[str]:
    yield from _serve(outlets_db)


@pytest.fixture()
def tab(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh browser context per test (no language cookie), Indonesian as the browser's language."""
    # bypass_csp: Playwright's wait_for_function evaluates its predicate as a string, which the page's
    # Content-Security-Policy forbids (test_browser_page_runs_under_its_csp checks the page without it).
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="id-ID", bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, errors


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert (ARTIFACTS / name).stat().st_size > 10_000


def test_browser_search_highlights_every_name_of_a_person(outlets_server: str, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(outlets_server + "/search")
    tab.fill("#f-q", "Jokowi")
    tab.click("#search-run")
    tab.wait_for_selector("#results li.hit")
    assert tab.locator("#results li.hit").count() == 6
    marks = set(tab.locator("#results mark").all_inner_texts())
    assert marks == {"Jokowi", "Joko Widodo"}  # Detik writes only "Joko Widodo"
    assert "6 artikel ditemukan" in tab.locator("#search-total").inner_text()
    assert "Joko Widodo" in tab.locator("#entity-hint").inner_text()
    shot(tab, "search.png")
    tab.select_option("#f-outlet", "Detik")
    tab.click("#search-run")
    tab.wait_for_function("document.querySelectorAll('#results li.hit').length === 1")
    assert "outlet=Detik" in tab.url


def test_browser_search_says_why_a_query_cannot_be_read(outlets_server: str, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(outlets_server + "/search?q=" + 'Setya AND "KPK')
    tab.wait_for_selector("#search-error")
    assert "unclosed quote" in tab.locator("#search-error").inner_text()


def test_browser_entity_page_shows_who_said_what(outlets_server: str, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(outlets_server + "/search?q=Jokowi")
    tab.click("#entity-hint a")
    tab.wait_for_selector("#quotes blockquote")
    assert tab.locator("#entity-name").inner_text().startswith("Joko Widodo")
    heads = set(tab.locator("#quotes th").all_inner_texts())
    assert {"Kompas", "Detik", "Tempo", "Antara"} <= heads
    assert tab.locator("#quotes blockquote.direct").count() >= 5
    assert "Saya minta warga Jakarta" in tab.locator("#quotes").inner_text()
    assert tab.locator("#quotes a.cite").count() == tab.locator("#quotes blockquote").count()
    assert tab.locator("#together li").count() >= 3
    assert tab.locator("svg#entity-outlets rect.bar").count() == 4
    shot(tab, "entity.png")


def test_browser_event_coverage_and_charts(outlets_server: str, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(outlets_server + "/?sort=sources")  # the MRT opening, reported by three outlets
    tab.click("a.event-link >> nth=0")
    tab.wait_for_selector("svg#outlets-per-event rect.bar")
    assert tab.locator("svg#outlets-per-event rect.bar").count() == 3
    assert tab.locator("svg#event-per-day rect.bar[data-value='1']").count() == 1
    assert "Antara" in tab.locator("#missing").inner_text()
    assert set(tab.locator("#covered a").all_inner_texts()) == {"Kompas", "Detik", "Tempo"}
    assert "24 Maret 2019" in tab.locator("#timeline").inner_text()
    shot(tab, "event_coverage.png")


def test_browser_event_notes_are_text(server: str, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(server + "/?sort=articles")
    tab.wait_for_selector("a.event-link")
    tab.locator("a.event-link:has-text('Tambang')").click()  # one article: the comparison says so in a note
    tab.wait_for_selector("p.notes")
    notes = tab.locator("p.notes").all_inner_texts()
    assert notes and not any("[object" in n for n in notes)
    assert any("hanya satu media" in n for n in notes)
    assert "[object" not in tab.locator("main").inner_text()


def test_browser_figure_timeline_draws_each_value(outlets_server: str, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(outlets_server + "/")
    tab.wait_for_selector("a.event-link")
    figure = {"key": "dead", "label": "korban meninggal", "status": "update", "values": [
        {"article": "a", "text": "14 orang", "value": 14, "attribution": "BNPB", "time": "2022-01-01T12:00"},
        {"article": "b", "text": "62 orang", "value": 62, "attribution": "BNPB", "time": "2022-01-01T19:34"},
        {"article": "c", "text": "tidak jelas", "value": None, "attribution": None, "time": None}]}  # fmt: skip
    drawn = tab.evaluate(
        "(f) => { const n = figureTimeline(f, {a: 'Kompas', b: 'Detik'}); document.getElementById('app').append(n);"
        " return [n.querySelectorAll('circle.dot').length, n.querySelector('figcaption').textContent]; }",
        figure,
    )
    assert drawn == [2, "korban meninggal · diperbarui"]


def test_browser_outlet_page(outlets_server: str, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(outlets_server + "/outlets")
    tab.wait_for_selector("#outlet-list a.outlet-link")
    assert tab.locator("svg#outlet-articles rect.bar").count() == 4
    tab.click("#outlet-list a.outlet-link:has-text('Kompas')")
    tab.wait_for_selector("#outlet-name")
    assert tab.locator("#outlet-name").inner_text() == "Kompas"
    assert tab.locator("table.events a.event-link").count() == 2
    assert "2 artikel dalam 2 peristiwa" in tab.locator("#outlet-summary").inner_text()
    shot(tab, "outlet.png")


def test_browser_language_switch_and_formats(outlets_server: str, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(outlets_server + "/")
    tab.wait_for_selector("a.event-link")
    assert tab.locator("nav#nav a").first.inner_text() == "Peristiwa"
    assert tab.locator("html").get_attribute("lang") == "id"
    assert "26 Agustus 2019" in tab.locator("table.events").inner_text()
    assert tab.locator("#sort option:checked").inner_text() == "Terbaru"
    shot(tab, "events_id.png")
    tab.click("#lang-switch")
    tab.wait_for_function("document.documentElement?.lang === 'en' && document.querySelector('a.event-link')")
    assert tab.locator("nav#nav a").first.inner_text() == "Events"
    assert "26 August 2019" in tab.locator("table.events").inner_text()
    shot(tab, "events_en.png")
    tab.click("#lang-switch")
    tab.wait_for_function("document.documentElement?.lang === 'id' && document.querySelector('a.event-link')")
    assert "Agustus" in tab.locator("table.events").inner_text()


def test_browser_english_browser_gets_english(outlets_server: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.goto(outlets_server + "/")
    page.wait_for_selector("a.event-link")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#sort option:checked").inner_text() == "Newest"
    context.close()


def test_browser_event_figures_drawn_from_the_comparison(server: str, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(server + "/?sort=articles")
    tab.click("a.event-link:has-text('Gempa')")
    tab.wait_for_selector("#figures svg circle.dot")
    assert any(
        n.startswith("artikel dalam beberapa bahasa (") for n in tab.locator("p.notes").all_inner_texts()
    )
    captions = tab.locator("#figures figcaption").all_inner_texts()
    assert "korban meninggal · sepakat" in captions
    dead = tab.locator("#figures figure", has_text="korban meninggal")
    assert dead.locator("circle.dot").count() >= 3
    sentence = dead.locator("circle.dot").first.get_attribute("data-sentence")
    dead.locator("circle.dot").first.click()
    tab.wait_for_timeout(300)
    assert tab.locator(".s.highlight").get_attribute("id") == "s-" + "".join(
        c if c.isalnum() or c in "_-" else "-" for c in sentence or ""
    )
    shot(tab, "event_figures.png")


def test_browser_api_docs_render_offline(outlets_server: str, tab) -> None:  # type: ignore[no-untyped-def]
    outside: list[str] = []
    needed = {
        "document",
        "script",
        "stylesheet",
        "fetch",
        "xhr",
        "font",
    }  # (ReDoc's footer logo is decorative)
    tab.on("request", lambda r: outside.append(r.url) if r.resource_type in needed and not r.url.startswith(
        (outlets_server, "blob:", "data:")) else None)  # fmt: skip
    tab.goto(outlets_server + "/docs")
    tab.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert tab.locator(".swagger-ui .opblock").count() >= 10
    assert "/api/search" in tab.locator(".swagger-ui").inner_text()
    tab.goto(outlets_server + "/redoc")
    tab.wait_for_selector("redoc h1, [role=navigation], .api-content", timeout=20_000)
    assert "Kabar" in tab.locator("body").inner_text()
    assert not outside, outside


def test_browser_entities_list_finds_a_person_by_any_name(outlets_server: str, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(outlets_server + "/entities")
    tab.wait_for_selector("#entity-list a.entity-link")
    assert tab.locator("#entity-list a.entity-link").first.inner_text() == "Joko Widodo"
    tab.fill("input[name=prefix]", "Jokowi")
    tab.press("input[name=prefix]", "Enter")
    tab.wait_for_function("location.search.includes('prefix=Jokowi')")
    tab.wait_for_selector("#entity-list a.entity-link")
    tab.locator("#entity-list a.entity-link").first.click()
    tab.wait_for_selector("#quotes blockquote")
    assert tab.locator("#entity-name").inner_text().startswith("Joko Widodo")
    shot(tab, "entities.png")
