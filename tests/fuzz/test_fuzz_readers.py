"""Property tests over every reader: whatever the bytes, each input ends as articles that can be stored, or as
failures naming the file (and the record, for JSONL and feeds); never an exception.

The budget is fixed (``BUDGET``) so the suite runs in CI in seconds; raise ``max_examples`` by hand to dig deeper
(``benchmarks/fuzz_readers.py`` runs the same readers under atheris, coverage-guided).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kabar.config import Config
from kabar.errors import InputError
from kabar.ingest import read_paths
from kabar.ingest.conll import read_conll_tokens
from kabar.ingest.feeds import FetchPolicy, read_sources
from kabar.records import Article, Failure
from kabar.store.base import unstorable

CONFIG = Config(max_file_bytes=200_000, max_article_chars=20_000)
# KABAR_FUZZ_EXAMPLES=2000 digs deeper, with fresh random examples each run.
EXAMPLES = int(os.environ.get("KABAR_FUZZ_EXAMPLES", "40"))
BUDGET = settings(
    max_examples=EXAMPLES,
    deadline=5000,
    derandomize="KABAR_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow],
)

# Text that hurt before: lone surrogates, NUL, deep nesting, far-off dates, markup, escapes, odd newlines.
NASTY = ["\ud800", "\udfff", "\x00", "\x07", "\u2028", "\r", "[" * 5000, "{" * 5000, "9999-12-31T23:00:00+14:00",
         "0001-01-01T00:00:00-14:00", "<script>", "&#0;", "&#xd800;", "]]>", "\ufeff", "\u202e", "besok",
         "99999999 hari lagi"]  # fmt: skip
WORDS = ["Banjir", "melanda", "Jakarta", "Timur", "pada", "Selasa", "warga", "mengungsi", "kata", "petugas", "BPBD",
         "300", "2,5", "persen", "Rp", "miliar", '"', ".", ",", "\n", "\n\n"]  # fmt: skip

nasty_text = st.lists(st.one_of(st.sampled_from(NASTY), st.sampled_from(WORDS), st.text(max_size=20)),
                      max_size=60).map(" ".join)  # fmt: skip
any_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), nasty_text)
nasty_bytes = st.one_of(
    st.binary(max_size=3000),
    nasty_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    nasty_text.map(lambda t: t.encode("utf-16", "surrogatepass")),
    nasty_text.map(lambda t: t.encode("cp1252", "replace")),
)


def _check(items: Iterable[Article | Failure], where: set[str]) -> list[Article | Failure]:
    """Every item is an article that can be stored, or a failure whose path names one of ``where``."""
    out = list(items)
    for item in out:
        if isinstance(item, Failure):
            assert item.path in where, (item.path, where)
            assert item.reason and "\n" not in item.reason
            item.reason.encode("utf-8")
        else:
            assert isinstance(item, Article)
            assert unstorable(item) is None, unstorable(item)
            assert CONFIG.min_article_chars <= len(item.text) <= CONFIG.max_article_chars
            assert item.path in where, (item.path, where)
    return out


@BUDGET
@given(data=nasty_bytes, suffix=st.sampled_from([".txt", ".md", "", ".html"]))
def test_fuzz_text_and_html_files(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f{suffix}"
        path.write_bytes(data)
        (_item,) = _check(read_paths([path], CONFIG), {str(path)})


html_nodes = st.recursive(
    nasty_text.map(escape) | st.sampled_from(NASTY),
    lambda inner: st.tuples(st.sampled_from(["p", "div", "article", "h1", "script", "b", "table", "li"]),
                            st.lists(inner, max_size=5)).map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"),
    max_leaves=30,
)  # fmt: skip


@BUDGET
@given(body=html_nodes, title=nasty_text)
def test_fuzz_html_pages(body: str, title: str) -> None:
    page = f"<!doctype html><html><head><title>{escape(title)}</title></head><body>{body}</body></html>"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.html"
        path.write_bytes(page.encode("utf-8", "surrogatepass"))
        _check(read_paths([path], CONFIG), {str(path)})


record = st.dictionaries(
    st.sampled_from(["id", "text", "title", "published", "source", "url", "language", "author", "x"]),
    st.one_of(any_scalar, st.lists(any_scalar, max_size=3), st.dictionaries(st.text(max_size=3), any_scalar,
                                                                           max_size=2)),
    max_size=8,
)  # fmt: skip
jsonl_line = st.one_of(
    record.map(lambda r: json.dumps(r, ensure_ascii=True).encode()),
    record.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    st.binary(max_size=200).filter(lambda b: b"\n" not in b),
    st.sampled_from([b"[" * 100_000, b'{"text": "' + b"\\ud800" * 3 + b'"}', b"\xff\xfe", b"  "]),
)


@BUDGET
@given(lines=st.lists(jsonl_line, max_size=8))
def test_fuzz_jsonl_one_item_per_record(lines: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.jsonl"
        path.write_bytes(b"\n".join(lines))
        records = {
            f"{path}:{n}" for n, line in enumerate(b"\n".join(lines).split(b"\n"), start=1) if line.strip()
        }
        items = _check(read_paths([path], CONFIG), records | {str(path)})
        if records:
            assert len(items) == len(records)
            assert {i.path for i in items} == records


entry = st.fixed_dictionaries({"title": nasty_text, "body": nasty_text, "date": st.sampled_from([*NASTY,
    "Mon, 21 Nov 2022 18:00:00 +0700", "Fri, 31 Dec 9999 23:59:59 -1400", "kemarin", ""]), "link": nasty_text})  # fmt: skip


def _rss(entries: list[dict[str, str]]) -> str:
    items = "".join(f"<item><title>{escape(e['title'])}</title><link>{escape(e['link'])}</link>"
                    f"<pubDate>{escape(e['date'])}</pubDate><description>{escape(e['body'])}</description></item>"
                    for e in entries)  # fmt: skip
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'


def _atom(entries: list[dict[str, str]]) -> str:
    items = "".join(f"<entry><title>{escape(e['title'])}</title><link href={quoteattr(e['link'])}/>"
                    f"<updated>{escape(e['date'])}</updated><content type=\"html\">{escape(e['body'])}</content></entry>"
                    for e in entries)  # fmt: skip
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{items}</feed>'


@BUDGET
@given(entries=st.lists(entry, max_size=5), atom=st.booleans(), cut=st.integers(0, 40))
def test_fuzz_feeds(entries: list[dict[str, str]], atom: bool, cut: int) -> None:
    feed = (_atom if atom else _rss)(entries).encode("utf-8", "surrogatepass")
    feed = feed[: len(feed) - cut]  # also broken, truncated feeds
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.xml"
        path.write_bytes(feed)
        where = {str(path)} | {f"{path}#{n}" for n in range(1, len(entries) + 1)}
        _check(read_sources([str(path)], CONFIG, follow_links=False), where)


@BUDGET
@given(urls=st.lists(st.one_of(nasty_text, st.sampled_from(["self", "missing.txt", "/dev/zero", "file:///etc/passwd",
                                                            "http://127.0.0.1:9/x.xml", ""])), max_size=6))  # fmt: skip
def test_fuzz_opml(urls: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "list.opml"
        listed = [str(path) if u == "self" else u for u in urls]
        outlines = "".join(f"<outline text='x' xmlUrl={quoteattr(u)}/>" for u in listed)
        path.write_bytes(
            f"<?xml version='1.0'?><opml><body>{outlines}</body></opml>".encode("utf-8", "surrogatepass")
        )
        items = list(read_sources([str(path)], CONFIG, follow_links=False, policy=FetchPolicy(retries=1)))
        for item in items:  # a listed local file may hold an article; everything else is a failure
            assert isinstance(item, Article | Failure)
            if isinstance(item, Article):
                assert unstorable(item) is None


@BUDGET
@given(data=nasty_bytes)
def test_fuzz_conll(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tokens.conll"
        path.write_bytes(data)
        try:
            sentences = read_conll_tokens(path, max_bytes=CONFIG.max_file_bytes)
        except InputError as err:
            assert err.path == str(path)
            return
        assert sentences and all(isinstance(t, str) for s in sentences for t in s)


@pytest.mark.parametrize("name", ["zero.txt", "pipe.txt", "null.txt"])
def test_fuzz_special_files_are_failures(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name == "zero.txt":
        os.symlink("/dev/zero", path)
    elif name == "pipe.txt":
        os.mkfifo(path)
    else:
        os.symlink("/dev/null", path)
    (failure,) = _check(read_paths([path], CONFIG), {str(path)})
    assert isinstance(failure, Failure) and failure.code == "special"
