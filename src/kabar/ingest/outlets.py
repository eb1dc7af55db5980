"""Outlets as data: which news outlet published an article.

An article's outlet is, in order: the known outlet of its URL's domain ("news.detik.com" is Detik, whatever
aggregating feed carried it), its ``source`` (from the record or feed, or the page's ``og:site_name``; a known
outlet's canonical name when it names one), the URL's domain, or the file or folder it was read from when that
name is a known outlet ("kompas.txt", "detik-2.txt", "tempo/banjir.html"). ``kabar ingest --source`` sets the
outlet outright. Known outlets live in ``data/outlets.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import PurePath
from urllib.parse import urlparse

from kabar.records import Article

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_STEM_SPLIT = re.compile(r"[\s_\-.]+")
_SEQUENCE = re.compile(r"^\d+$")


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    domains: tuple[str, ...]
    names: tuple[str, ...]


def fold(name: str) -> str:
    """A name's matching key: lower case letters and digits only ("Kompas.com" -> "kompascom")."""
    return _NOT_ALNUM.sub("", name.lower())


@cache
def known_outlets() -> tuple[Outlet, ...]:
    text = resources.files("kabar").joinpath("data", "outlets.tsv").read_text(encoding="utf-8")
    outlets = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, domains, names = [*line.split("\t"), "", ""][:3]
        outlets.append(
            Outlet(name, tuple(d for d in domains.split("|") if d), tuple(n for n in names.split("|") if n))
        )
    return tuple(outlets)


@cache
def _by_name() -> dict[str, str]:
    index: dict[str, str] = {}
    for outlet in known_outlets():
        for name in (outlet.name, *outlet.names, *(d.split("/")[0] for d in outlet.domains)):
            index.setdefault(fold(name), outlet.name)
        for domain in outlet.domains:
            index.setdefault(fold(domain.split("/")[0].split(".")[0]), outlet.name)
    return index


def outlet_named(name: str) -> str | None:
    """The known outlet a name stands for ("KOMPAS.com", "detikcom", "antaranews.com"), else None."""
    return _by_name().get(fold(name)) if name.strip() else None


def outlet_of_url(url: str) -> str | None:
    """The known outlet of a URL's domain (subdomains included: "news.detik.com" is Detik), else None."""
    parsed = urlparse(url if "//" in url else f"//{url}")
    host = (parsed.hostname or "").removeprefix("www.")
    if not host:
        return None
    path = parsed.path or "/"
    for outlet in known_outlets():
        for domain in outlet.domains:
            site, _, prefix = domain.partition("/")
            if (host == site or host.endswith("." + site)) and path.startswith("/" + prefix):
                return outlet.name
    return None


def domain_of(url: str) -> str | None:
    host = urlparse(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.") or None


def outlet_of_path(path: str) -> str | None:
    """The known outlet a file or folder name stands for: "kompas.txt", "detik-2.txt", "tempo/x.html"."""
    if "://" in path:
        return None
    pure = PurePath(re.sub(r":\d+$", "", path))  # a JSONL record's path is FILE:LINE
    stem = pure.stem
    named = outlet_named(stem)
    if named is None:
        first, *rest = _STEM_SPLIT.split(stem) or [""]
        if rest and all(_SEQUENCE.match(r) for r in rest):
            named = outlet_named(first)
    if named is None and pure.parent.name:
        named = outlet_named(pure.parent.name)
    return named


def outlet_of(article: Article) -> str | None:
    """The article's outlet (see the module docstring), or None when nothing names one."""
    if article.url and (by_url := outlet_of_url(article.url)):
        return by_url
    if article.source and (named := outlet_named(article.source)):
        return named
    if article.source:
        return article.source.strip()
    if article.url and (domain := domain_of(article.url)):
        return domain
    return outlet_of_path(article.path) if article.path else None
