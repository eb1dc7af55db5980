"""Read articles from plain text, HTML, JSONL files and directories of them.

Every input yields either :class:`~kabar.records.Article` or :class:`~kabar.records.Failure`; one bad file or
line never stops the others.
"""

from __future__ import annotations

import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from kabar.config import DEFAULT, Config
from kabar.errors import (
    BinaryInput,
    EmptyInput,
    InputError,
    MalformedRecord,
    NoArticleText,
    SpecialFile,
    TooLarge,
    UndecodableInput,
)
from kabar.ingest.dates import parse_published
from kabar.records import Article, Failure

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SKIP_NAMES = {".DS_Store", "Thumbs.db"}
# Lists of feeds are not articles: a directory's OPML file is left for kabar ingest / kabar watch to name.
SKIP_SUFFIXES = {".opml"}

_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_READ_CHUNK = 1 << 20
_WORD = re.compile(r"\w")


def read_paths(paths: Iterable[str | Path], config: Config = DEFAULT) -> Iterator[Article | Failure]:
    """Read every file named, descending into directories in sorted order.

    Only regular files are read (symbolic links to them too); a device, FIFO or socket is reported and skipped.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if not p.is_dir() and not _hidden(p, path))
            if not files:
                yield Failure(display_path(path), "directory holds no files", "empty")
            for file in files:
                yield from read_file(file, config)
        elif path.exists() or path.is_symlink():
            yield from read_file(path, config)
        else:
            yield Failure(display_path(path), "no such file or directory", "missing")


def display_path(path: str | Path) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 in a file name (``\\xff``) are
    written as escapes instead of lone surrogates."""
    text = str(path)
    try:
        raw = os.fsencode(text)
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _hidden(path: Path, root: Path) -> bool:
    rel = path.relative_to(root).parts
    skipped = path.name in SKIP_NAMES or path.suffix.lower() in SKIP_SUFFIXES
    return skipped or any(part.startswith(".") for part in rel)


def open_regular(path: Path) -> tuple[int, int]:
    """Open a regular file for reading: (file descriptor, size). Opening does not block (a FIFO would wait for a
    writer), and the type is checked on the opened file, so a file swapped after a check cannot slip through.

    Raises:
        SpecialFile: for a device, FIFO, socket or directory.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise SpecialFile(display_path(path), "not a regular file (a device, FIFO or socket): not read")
    return fd, info.st_size


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (also when the file grows while it is read).

    Raises:
        SpecialFile, TooLarge: for a file that is not regular, or larger than ``limit``.
    """
    fd, size = open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        if size > limit:
            raise TooLarge(display_path(path), f"file is {size:,} bytes, over the limit of {limit:,}")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(display_path(path), f"file is over the limit of {limit:,} bytes")
    return data


def read_file(path: Path, config: Config = DEFAULT) -> Iterator[Article | Failure]:
    """Read one file; JSONL files may yield several articles and several failures."""
    where = display_path(path)
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from _read_jsonl(path, config)
            return
        data = read_bounded(path, config.max_file_bytes)
        article_id = display_path(path.stem)
        if _is_html(path, data):
            yield read_html(data, path=where, article_id=article_id, config=config)
        else:
            yield read_text(data, path=where, article_id=article_id, config=config)
    except InputError as err:
        yield Failure(err.path, err.reason, err.code)
    except OSError as err:
        yield Failure(where, f"cannot read: {err.strerror or err}", "io")


def _is_html(path: Path, data: bytes) -> bool:
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    return bool(_HTML_SNIFF.match(data[:512]))


def decode(data: bytes, path: str) -> str:
    """Decode bytes to text: UTF-8 (with or without BOM) first, then the best detected encoding.

    Raises:
        EmptyInput, BinaryInput, UndecodableInput: when the bytes are not usable text.
    """
    if not data.strip():
        raise EmptyInput(path, "file is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BinaryInput(path, "file is binary (NUL bytes), not text")
    text: str | None = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # A file cut in the middle of a multi-byte character: keep what is whole.
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            text = data[: err.start].decode("utf-8-sig")
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise UndecodableInput(path, "no text encoding fits this file")
        text = str(best)
    if len(_CONTROL.findall(text[:20000])) > max(8, len(text[:20000]) // 100):
        raise BinaryInput(path, "file is binary (control characters), not text")
    return text


def normalise_text(text: str) -> str:
    """Normalise newlines and Unicode composition; strip trailing blank space per line and control characters
    (NUL cannot be stored by PostgreSQL); a lone surrogate, which no encoding can write, becomes U+FFFD."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\t", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def check_size(text: str, path: str, config: Config) -> None:
    """Refuse text with no words, shorter than the minimum or longer than the maximum of ``config``."""
    if len(_WORD.findall(text[:1000])) < 1 or len(text.strip()) < config.min_article_chars:
        raise EmptyInput(path, "no article text (too short or no words)")
    if len(text) > config.max_article_chars:
        raise TooLarge(
            path, f"article has {len(text):,} characters, over the limit of {config.max_article_chars:,}"
        )


def read_text(
    data: bytes | str, *, path: str, article_id: str, config: Config = DEFAULT, **meta: str | None
) -> Article:
    """Build an article from plain text; the first line is its title when it reads as a headline."""
    text = normalise_text(decode(data, path) if isinstance(data, bytes) else data)
    check_size(text, path, config)
    clean = {key: clean_field(value) for key, value in meta.items()}
    title = clean.pop("title", None) or headline(text)
    return Article(id=clean_field(article_id) or article_id, text=text, title=title, path=path, **clean)


def clean_field(value: str | None) -> str | None:
    """A metadata value (title, author, URL...) without control characters or lone surrogates."""
    if value is None:
        return None
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", value))


_SENTENCE_END = re.compile(r"[.!?…:;,]\s*$")


def headline(text: str) -> str | None:
    """Return the first line when it reads as a headline: short, unpunctuated, followed by more text."""
    first, _, rest = text.partition("\n")
    first = first.strip()
    if not rest.strip() or not first:
        return None
    words = first.split()
    if len(words) > 25 or len(first) > 200 or _SENTENCE_END.search(first):
        return None
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    if not first[:1].isupper() and not first[:1].isdigit():
        return None
    return first if capitalised >= 1 else None


def read_html(data: bytes | str, *, path: str, article_id: str, config: Config = DEFAULT) -> Article:
    """Extract the main text, title, date and author of an HTML page with trafilatura."""
    import trafilatura

    html = decode(data, path) if isinstance(data, bytes) else data
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
        )
    except Exception as err:  # trafilatura raises many kinds on hostile markup
        raise NoArticleText(path, f"HTML could not be parsed ({type(err).__name__})") from err
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise NoArticleText(path, "HTML page has no article text")
    title = getattr(doc, "title", None)
    text = normalise_text(text)
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    check_size(text, path, config)
    return Article(
        id=article_id,
        text=text,
        title=clean_field(title) or headline(text),
        published=parse_published(getattr(doc, "date", None)),
        author=clean_field(getattr(doc, "author", None)),
        url=clean_field(getattr(doc, "url", None)),
        source=clean_field(getattr(doc, "sitename", None)),
        path=path,
    )


_JSONL_FIELDS = ("title", "published", "source", "url", "language", "author")


def _read_jsonl(path: Path, config: Config) -> Iterator[Article | Failure]:
    shown = display_path(path)
    fd, _ = open_regular(path)
    limit = _record_limit(config)
    seen_any = False
    with os.fdopen(fd, "rb") as handle:
        for lineno, raw in enumerate(iter(lambda: handle.readline(limit + 1), b""), start=1):
            where = f"{shown}:{lineno}"
            if len(raw) > limit and not raw.endswith(b"\n"):
                _skip_line(handle)
                yield Failure(where, f"record is over the limit of {limit:,} bytes", TooLarge.code)
                seen_any = True
                continue
            if not raw.strip():
                continue
            seen_any = True
            stem = display_path(path.stem)
            try:
                yield parse_record(raw, where=where, default_id=f"{stem}-{lineno}", config=config)
            except InputError as err:
                yield Failure(err.path, err.reason, err.code)
    if not seen_any:
        yield Failure(shown, "file is empty", "empty")


def _record_limit(config: Config) -> int:
    # A record may carry the longest article in \uXXXX escapes plus metadata: four bytes per character.
    return config.max_article_chars * 4


def _skip_line(handle: Any) -> None:
    """Read past the rest of an over-long line without holding it in memory."""
    while True:
        chunk = handle.readline(_READ_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def parse_record(raw: bytes | str, *, where: str, default_id: str, config: Config = DEFAULT) -> Article:
    """Parse one JSON article object: ``text`` is required; ``id``, ``title``, ``published``... optional.

    Raises:
        MalformedRecord: for anything but a JSON object with a string ``text``, nesting too deep to parse, or a
            lone surrogate escape (``"\\ud800"``), which is not text in any encoding.
    """
    if len(raw) > _record_limit(config):
        raise TooLarge(where, f"record is {len(raw):,} bytes, over the limit")
    try:
        line = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        obj = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise MalformedRecord(where, f"not a JSON object ({err.__class__.__name__}: {err})") from err
    except RecursionError as err:
        raise MalformedRecord(where, "not an article object: JSON nested too deeply") from err
    if not isinstance(obj, dict):
        raise MalformedRecord(where, "line is JSON but not an object")
    text = obj.get("text")
    if not isinstance(text, str):
        raise MalformedRecord(where, "record has no string field 'text'")
    meta: dict[str, str | None] = {}
    for key in _JSONL_FIELDS:
        value = obj.get(key)
        meta[key] = _scalar(value, key, where) if value not in (None, "") else None
    article_id = obj.get("id")
    ident = _scalar(article_id, "id", where) if article_id not in (None, "") else default_id
    _no_surrogates(text, "text", where)
    meta["published"] = parse_published(meta["published"])
    return read_text(text, path=where, article_id=ident, config=config, **meta)


def _scalar(value: object, key: str, where: str) -> str:
    if isinstance(value, dict | list):
        raise MalformedRecord(where, f"field {key!r} must be a string, not a JSON {type(value).__name__}")
    text = str(value)
    _no_surrogates(text, key, where)
    return text


def _no_surrogates(value: str, key: str, where: str) -> None:
    found = _SURROGATE.search(value)
    if found is not None:
        raise MalformedRecord(
            where,
            f"field {key!r} holds a lone surrogate (\\u{ord(found.group()):04x} at character {found.start()}), "
            "which is not valid Unicode text",
        )


def unique_ids(items: Iterable[Article | Failure]) -> Iterator[Article | Failure]:
    """Make article ids unique by suffixing repeats (``id``, ``id-2``, ``id-3``...)."""
    seen: dict[str, int] = {}
    for item in items:
        if isinstance(item, Article):
            count = seen.get(item.id, 0) + 1
            seen[item.id] = count
            if count > 1:
                new_id = f"{item.id}-{count}"
                while new_id in seen:
                    count += 1
                    new_id = f"{item.id}-{count}"
                seen[new_id] = 1
                item = replace(item, id=new_id)
        yield item


def read_stream(data: bytes, where: str = "-", config: Config = DEFAULT) -> Iterator[Article | Failure]:
    """Articles from a stream (standard input): JSONL records when the first line is a JSON object, else one
    HTML page or one plain-text article named ``stdin``."""
    head = data.lstrip()[:1]
    if head == b"{":
        seen = False
        for lineno, raw in enumerate(data.splitlines(), start=1):
            if not raw.strip():
                continue
            seen = True
            try:
                yield parse_record(
                    raw, where=f"{where}:{lineno}", default_id=f"stdin-{lineno}", config=config
                )
            except InputError as err:
                yield Failure(err.path, err.reason, err.code)
        if seen:
            return
    try:
        if _HTML_SNIFF.match(data[:512]):
            yield read_html(data, path=where, article_id="stdin", config=config)
        else:
            yield read_text(data, path=where, article_id="stdin", config=config)
    except InputError as err:
        yield Failure(err.path, err.reason, err.code)
