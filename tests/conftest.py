"""Shared fixtures: the seed articles, their annotation (computed once), and generated bad inputs."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kabar.ingest import read_paths
from kabar.pipeline import annotate
from kabar.records import AnnotatedArticle, Annotation, Article

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
SEED_A = SEEDS / "000_88221f3e0d7eafc3.txt"
SEED_B = SEEDS / "001_6da34223ceeac54f.txt"


@pytest.fixture(scope="session")
def seed_annotation() -> Annotation:
    return annotate(read_paths([SEEDS]))


@pytest.fixture(scope="session")
def seed_docs(seed_annotation: Annotation) -> dict[str, AnnotatedArticle]:
    return {doc.article.id: doc for doc in seed_annotation.articles}


def doc_of(annotation: Annotation, stem: str) -> AnnotatedArticle:
    return next(d for d in annotation.articles if d.article.id == stem)


def entity_named(annotation: Annotation, name: str) -> str:
    """The id of the entity whose canonical name or alias is ``name``."""
    for entity in annotation.entities:
        if entity.name == name or name in entity.aliases:
            return entity.id
    raise AssertionError(f"no entity named {name!r}: {[e.name for e in annotation.entities]}")


def mention_entity(doc: AnnotatedArticle, text: str, nth: int = 0) -> str | None:
    found = [m for m in doc.mentions if m.text == text]
    assert len(found) > nth, f"no mention {text!r} (#{nth}) in {doc.article.id}"
    return found[nth].entity


def article(text: str, article_id: str = "t", **meta: str) -> Article:
    return Article(id=article_id, text=text, **meta)


@pytest.fixture()
def junk_dir(tmp_path: Path) -> Path:
    """A directory mixing a good article with every kind of bad input."""
    good = SEED_A.read_text(encoding="utf-8")
    (tmp_path / "good.txt").write_text(good, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"   \n\n  \t\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "latin1.txt").write_bytes(
        "Café di Jalan Braga, Bandung, ramai dikunjungi wisatawan pada akhir pekan. Pemiliknya, René, "
        "mengatakan omzet naik 20 persen.".encode("cp1252")
    )
    cut = "Menteri Keuangan Sri Mulyani mengatakan inflasi turun menjadi 2,5 persen — kata dia".encode()
    (tmp_path / "truncated.txt").write_bytes(cut[:-1] + "é".encode()[:1])
    (tmp_path / "broken.jsonl").write_text(
        '{"id": "j1", "title": "Banjir di Jakarta", "text": "Banjir melanda Jakarta Timur pada Selasa (2/1/2024). '
        'Sedikitnya 300 warga mengungsi, kata Kepala BPBD DKI Jakarta Isnawa Adji."}\n'
        '{"id": "j2", "text": \n'
        "[1, 2, 3]\n"
        '{"id": "j4", "title": "tanpa teks"}\n',
        encoding="utf-8",
    )
    (tmp_path / "no_article.html").write_text(
        (DATA / "html" / "no_article.html").read_text(), encoding="utf-8"
    )
    return tmp_path


PAGE_TEXT = [
    "Pemerintah Kota Bogor menutup sementara Jalan Suryakencana selama sepekan mulai Senin untuk perbaikan "
    "saluran air yang ambrol akibat hujan deras pekan lalu.",
    "Kepala Dinas Pekerjaan Umum Kota Bogor mengatakan perbaikan menelan biaya sekitar Rp 2,4 miliar dan "
    "dikerjakan siang dan malam agar jalan dapat dibuka kembali sebelum akhir bulan.",
    "Selama penutupan, kendaraan dari arah Tajur dialihkan melalui Jalan Siliwangi, sementara angkutan kota "
    "trayek 02 berhenti di Terminal Baranangsiang.",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _write_site(root: Path, base: str) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in PAGE_TEXT)
    (root / "jalan.html").write_text(f"<html><head><title>Jalan Suryakencana Ditutup</title></head><body>"
                                     f"<article><h1>Jalan Suryakencana Ditutup</h1>{paragraphs}</article>"
                                     "</body></html>", encoding="utf-8")  # fmt: skip
    (root / "feed.xml").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Warta Bogor</title><link>{base}/</link>
<item><title>Jalan Suryakencana Ditutup Sepekan</title><link>{base}/jalan.html</link>
<guid>jalan-1</guid><pubDate>Mon, 06 Mar 2023 08:00:00 +0700</pubDate>
<description>Jalan Suryakencana ditutup.</description></item>
</channel></rss>""", encoding="utf-8")  # fmt: skip
    (root / "list.opml").write_text(f'<?xml version="1.0"?><opml version="2.0"><body>'
                                    f'<outline text="Warta" xmlUrl="{base}/feed.xml"/></body></opml>',
                                    encoding="utf-8")  # fmt: skip
    (root / "local.opml").write_text('<?xml version="1.0"?><opml version="2.0"><body>'
                                     '<outline text="passwd" xmlUrl="/etc/passwd"/></body></opml>',
                                     encoding="utf-8")  # fmt: skip


@pytest.fixture(scope="session")
def news_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A news site on localhost: an article page, its RSS feed (a teaser entry), an OPML list of the feed, and
    an OPML list naming a local file. The article is written for these tests."""
    root = tmp_path_factory.mktemp("site")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Quiet(*a, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    _write_site(root, base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
