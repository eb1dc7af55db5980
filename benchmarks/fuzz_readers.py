"""Coverage-guided fuzzing of every reader with atheris (by hand; CI runs the hypothesis suite in tests/fuzz).

Each input's first byte picks a reader (text, HTML, JSONL, RSS/Atom, OPML, CoNLL); the rest is the file. A crash
is any exception escaping a reader, an article that cannot be stored, or a failure that does not name the file.

    pip install 'kabar[fuzz]'
    python benchmarks/fuzz_readers.py -runs=200000 -max_len=20000 -rss_limit_mb=2048 [corpus_dir]

Without atheris installed the script says so and exits 2.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

try:
    import atheris
except ImportError:  # pragma: no cover - a by-hand tool
    print("atheris is not installed: pip install 'kabar[fuzz]'", file=sys.stderr)
    sys.exit(2)

with atheris.instrument_imports():
    from kabar.config import Config
    from kabar.errors import InputError
    from kabar.ingest import read_paths
    from kabar.ingest.conll import read_conll_tokens
    from kabar.ingest.feeds import FetchPolicy, read_sources
    from kabar.records import Article, Failure
    from kabar.store.base import unstorable

CONFIG = Config(max_file_bytes=500_000, max_article_chars=50_000)
SUFFIXES = [".txt", ".html", ".jsonl", ".xml", ".opml", ".conll"]
NO_NETWORK = FetchPolicy(allow_private=False, retries=1, timeout=1.0, deadline=2.0)
WORK = Path(tempfile.mkdtemp(prefix="kabar-fuzz-"))


def check(items: list[Article | Failure], path: Path) -> None:
    for item in items:
        if isinstance(item, Failure):
            if not item.path.startswith(str(path)):
                raise AssertionError(f"failure names {item.path!r}, not the file")
            item.reason.encode("utf-8")
        else:
            problem = unstorable(item)
            if problem is not None:
                raise AssertionError(f"unstorable article: {problem}")


def one_input(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    path = WORK / f"input{suffix}"
    path.write_bytes(data[1:])
    if suffix == ".conll":
        try:
            read_conll_tokens(path, max_bytes=CONFIG.max_file_bytes)
        except InputError as err:
            if err.path != str(path):
                raise AssertionError(f"failure names {err.path!r}") from err
        return
    if suffix in {".xml", ".opml"}:
        check(list(read_sources([str(path)], CONFIG, follow_links=False, policy=NO_NETWORK)), path)
    else:
        check(list(read_paths([path], CONFIG)), path)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
