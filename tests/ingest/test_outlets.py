"""Outlets as data: a record's source, a URL's domain, a page's site name, a file or folder name."""

from __future__ import annotations

import pytest

from kabar.ingest.outlets import outlet_of, outlet_of_path, outlet_of_url
from kabar.records import Article


@pytest.mark.parametrize(
    ("fields", "outlet"),
    [
        ({"source": "KOMPAS.com"}, "Kompas"),
        ({"source": "detikcom"}, "Detik"),
        ({"source": "ANTARA News", "url": "https://example.org/x"}, "Antara"),
        ({"url": "https://news.detik.com/berita/d-123/x"}, "Detik"),
        ({"url": "https://www.bbc.com/indonesia/articles/c1"}, "BBC News Indonesia"),
        ({"url": "https://www.bbc.com/news/world-1"}, "bbc.com"),
        ({"source": "Kompas.com - Nasional", "url": "https://nasional.kompas.com/read/1"}, "Kompas"),
        ({"source": "Warta Desa"}, "Warta Desa"),
        ({"url": "https://warta-desa.example/berita/1"}, "warta-desa.example"),
        ({"path": "corpus/kompas.txt"}, "Kompas"),
        ({"path": "corpus/detik-2.txt"}, "Detik"),
        ({"path": "corpus/tempo/banjir-jakarta.html"}, "Tempo"),
        ({"path": "corpus/antara.jsonl:3"}, "Antara"),
        ({"path": "corpus/tempo-doeloe.txt"}, None),
        ({"path": "corpus/artikel-1.txt"}, None),
        ({}, None),
    ],
)
def test_outlets_of_an_article(fields: dict[str, str], outlet: str | None) -> None:
    assert outlet_of(Article(id="a", text="x", **fields)) == outlet


def test_outlets_known_domain_wins_over_a_feed_title_and_page_path() -> None:
    assert outlet_of_url("https://tekno.kompas.com/read/2023") == "Kompas"
    assert outlet_of_url("https://notkompas.com/") is None
    assert outlet_of_path("https://www.tempo.co/x.html") is None
