"""A store per test, on SQLite and on a real PostgreSQL server (started here when none is given)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kabar.store import SQLStore, open_store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    # The server refuses to run as root; CI runs as root.
    if os.geteuid() == 0 and shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    given = os.environ.get("KABAR_TEST_PG")
    if given:
        yield given
        return
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        pytest.skip("PostgreSQL server binaries are not installed (Debian package postgresql)")
    bindir = Path(bins[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="kabar-pg-"))
    root.chmod(0o777)
    data = root / "data"
    port = _free_port()
    init = subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                        "-E", "UTF8", "--no-sync"]), capture_output=True, text=True)  # fmt: skip
    if init.returncode != 0:
        pytest.skip(f"initdb failed: {init.stderr[-500:]}")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                                         str(root / "log"), "start"]), capture_output=True, text=True)  # fmt: skip
    if start.returncode != 0:
        pytest.skip(f"PostgreSQL did not start: {start.stderr[-500:]}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


def _new_database(server: str) -> str:
    import psycopg

    name = f"kabar_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "kabar.sqlite")
    server = request.getfixturevalue("pg_server")
    return _new_database(server)


@pytest.fixture()
def store(store_url: str) -> Iterator[SQLStore]:
    s = open_store(store_url)
    yield s
    s.close()
