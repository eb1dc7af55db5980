"""A batch's partitions and the files each leaves in ``OUT/parts/``: the plan, reading a partition's articles,
the stored representations, and atomic writes (temporary file, then rename)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kabar.cluster.features import Representation
from kabar.records import Article, Failure

PARTITION_SIZE = 2000
TEXT_SUFFIXES = {".txt", ".html", ".htm", ".text", ".md"}


@dataclass(frozen=True, slots=True)
class Partition:
    id: str
    path: str
    """A JSONL shard, or "" for a group of files."""
    start: int = 0
    stop: int = 0
    files: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class Represented:
    """One article's clustering input as its partition stores it (a line of ``parts/PID.reps.jsonl``)."""

    id: str
    published: str | None
    source: str | None
    title: str | None
    url: str | None
    entities: tuple[tuple[str, str, int], ...]
    """Entity keys of the lead, with type and mention count."""
    terms: tuple[tuple[int, int], ...] = ()
    """Hashed word and word-pair counts of the whole article (``kabar.cluster.features``)."""
    day: str | None = None
    """The article's own time: publication date, else the latest full date it states."""

    def representation(self) -> Representation:
        """What the event engine decides on (no text: the vector is stored beside)."""
        return Representation("", self.entities, self.terms, self.day)

    @property
    def names(self) -> list[str]:
        return [name for name, _, _ in self.entities]

    def to_json(self) -> str:
        data = asdict(self)
        data["entities"] = [list(e) for e in self.entities]
        data["terms"] = [list(t) for t in self.terms]
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> Represented:
        data = json.loads(line)
        entities = tuple((str(k), str(t), int(n)) for k, t, n in data["entities"])
        terms = tuple((int(k), int(n)) for k, n in data.get("terms", ()))
        return cls(data["id"], data["published"], data["source"], data["title"], data["url"], entities, terms,
                   data.get("day"))  # fmt: skip


@dataclass(frozen=True, slots=True)
class TaskSummary:
    """What a Dask task reports (and, for a partition, what its ``.done`` marker holds)."""

    pid: int
    seconds: float
    partition: str = ""
    articles: int = 0
    failures: int = 0
    computed: int = 0
    """Comparisons computed (the compare task)."""
    encoder_loads: int = 0
    encoder_threads: int = 0
    skipped: bool = False
    """Done by an earlier run: nothing was computed."""

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> TaskSummary:
        data = json.loads(text)
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def plan(inputs: Sequence[str | Path], size: int = PARTITION_SIZE) -> list[Partition]:
    """Cut the inputs into partitions, deterministically (sorted files, fixed sizes)."""
    parts: list[Partition] = []
    files: list[str] = []
    for raw in inputs:
        path = Path(raw)
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in candidates:
            if file.suffix.lower() in {".jsonl", ".ndjson"}:
                lines = _count_lines(file)
                for start in range(0, max(lines, 1), size):
                    parts.append(Partition(f"p{len(parts):05d}", str(file), start, min(start + size, lines)))
            elif file.suffix.lower() in TEXT_SUFFIXES:
                files.append(str(file))
    for start in range(0, len(files), size):
        parts.append(Partition(f"p{len(parts):05d}", "", files=tuple(files[start : start + size])))
    return parts


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def partition_items(part: Partition) -> Iterator[Article | Failure]:
    """The articles of a partition, and a Failure for each file or line that is not one."""
    from kabar.errors import InputError
    from kabar.ingest.readers import parse_record, read_paths

    if part.files:
        yield from read_paths(part.files)
        return
    with open(part.path, "rb") as handle:
        for lineno, raw in enumerate(handle):
            if lineno < part.start:
                continue
            if lineno >= part.stop:
                break
            if not raw.strip():
                continue
            where = f"{part.path}:{lineno + 1}"
            try:
                yield parse_record(raw, where=where, default_id=f"{Path(part.path).stem}-{lineno + 1}")
            except InputError as err:
                yield Failure(err.path, err.reason, err.code)


def partition_articles(part: Partition) -> dict[str, Article]:
    return {a.id: a for a in partition_items(part) if isinstance(a, Article)}


def iter_representations(
    out: Path, parts: Sequence[Partition]
) -> Iterator[tuple[Partition, Represented, np.ndarray]]:
    """Every stored representation and vector, partition by partition, in input order."""
    for part in parts:
        vectors, reps = load_representations(out, part.id)
        for rep, vector in zip(reps, vectors, strict=True):
            yield part, rep, vector


def load_representations(out: Path, part_id: str) -> tuple[np.ndarray, list[Represented]]:
    folder = out / "parts"
    vectors = np.load(folder / f"{part_id}.vectors.npy").astype(np.float32)
    with (folder / f"{part_id}.reps.jsonl").open(encoding="utf-8") as handle:
        return vectors, [Represented.from_json(line) for line in handle if line.strip()]


def write_text(path: Path, text: str) -> None:
    """Write a file atomically: a reader sees the old file or the whole new one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_lines(path: Path, lines: Sequence[str]) -> None:
    write_text(path, "".join(line + "\n" for line in lines))


def write_array(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as handle:
        np.save(handle, array)
    os.replace(tmp, path)
