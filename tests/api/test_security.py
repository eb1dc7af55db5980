"""The API's guards: which binds are local, which URLs the server may fetch, and the write token compared in
constant time whatever bytes a client sends."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kabar.api.app import Settings, create_app
from kabar.api.security import is_local_bind, token_matches, url_guard
from kabar.errors import FetchError


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_security_local_bind(host: str, local: bool) -> None:
    assert is_local_bind(host) is local


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/x",
        "http:///nohost",
        "http://127.0.0.1:9/feed",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://0.0.0.0/",
    ],
)
def test_security_guard_refuses_local_and_private(url: str) -> None:
    with pytest.raises(FetchError):
        url_guard(allow_private=False)(url)


def test_security_guard_allows_private_when_asked_but_never_other_schemes() -> None:
    guard = url_guard(allow_private=True)
    guard("http://127.0.0.1:8000/feed.xml")
    guard("http://10.1.2.3/berita")
    with pytest.raises(FetchError, match="only http and https"):
        guard("file:///etc/passwd")


def test_security_guard_names_an_unresolvable_host() -> None:
    with pytest.raises(FetchError, match="does not resolve"):
        url_guard(allow_private=False)("http://no-such-host.invalid/")


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Bearer s3cret", True), ("Bearer s3cre", False), ("Bearer s3cret ", False), ("bearer s3cret", False),
     (None, False), ("", False), ("Bearer s3crét", False), ("Bearer \udcff", False)],
)  # fmt: skip
def test_security_token_matches(header: str | None, expected: bool) -> None:
    assert token_matches(header, "s3cret") is expected


def test_security_api_compares_the_token_in_constant_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real: Callable[[bytes, bytes], bool] = hmac.compare_digest

    def recording(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    client = TestClient(create_app(Settings(db=str(tmp_path / "k.sqlite"), token="s3cret")),
                        raise_server_exceptions=False, base_url="http://localhost")  # fmt: skip
    body = {"articles": [{"text": "Banjir melanda Jakarta Timur pada Selasa, ratusan warga mengungsi."}]}
    wrong = client.post("/api/articles", json=body, headers={"Authorization": "Bearer s3crex"})
    assert wrong.status_code == 401
    assert calls == [(b"Bearer s3crex", b"Bearer s3cret")]
    latin = client.post("/api/articles", json=body, headers={"Authorization": b"Bearer \xff\xfe"})  # type: ignore[dict-item]
    assert latin.status_code == 401 and latin.json()["ok"] is False
