"""The API's guards: which binds are local, and which URLs the server may fetch."""

from __future__ import annotations

import pytest

from kabar.api.security import is_local_bind, url_guard
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
