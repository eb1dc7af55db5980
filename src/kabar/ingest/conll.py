"""CoNLL-style token files: the first column is the token, other columns are ignored, a blank line ends a sentence."""

from __future__ import annotations

from pathlib import Path

from kabar.errors import EmptyInput
from kabar.ingest.readers import decode, display_path, read_bounded


def read_conll_tokens(path: Path, max_bytes: int = 200_000_000) -> list[list[str]]:
    """Sentences of tokens; raises an InputError for empty, binary, undecodable, oversized or special files."""
    text = decode(read_bounded(path, max_bytes), display_path(path))
    sentences: list[list[str]] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        if line.startswith("-DOCSTART-"):
            continue
        current.append(line.split("\t")[0].split(" ")[0] if "\t" in line else line.strip().split(" ")[0])
    if current:
        sentences.append(current)
    if not sentences:
        raise EmptyInput(display_path(path), "no tokens in file")
    return sentences
