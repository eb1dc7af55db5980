"""Guards for the HTTP API: which URLs the server may fetch, and who may write."""

from __future__ import annotations

import hmac
import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from kabar.errors import FetchError
from kabar.ingest.fetch import refused_address

LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def is_local_bind(host: str) -> bool:
    """True when a server bound to ``host`` is reachable from this machine only."""
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token_matches(authorization: str | None, token: str) -> bool:
    """Whether an ``Authorization`` header carries ``Bearer TOKEN``, compared in constant time (the time taken
    does not tell how many leading characters were right). Any header text, including non-ASCII, is safe."""
    given = (authorization or "").encode("utf-8", "surrogateescape")
    return hmac.compare_digest(given, f"Bearer {token}".encode("utf-8", "surrogateescape"))


def url_guard(allow_private: bool) -> Callable[[str], None]:
    """A guard refusing non-http(s) URLs and, unless allowed, hosts that resolve to loopback, private, shared,
    link-local or reserved addresses. It gives an early, clear answer; the fetch itself checks again the address
    it connects to (``kabar.ingest.fetch``), which is what defeats DNS rebinding."""

    def check(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            raise FetchError(url, "only http and https URLs are fetched")
        host = parts.hostname
        if not host:
            raise FetchError(url, "the URL has no host")
        if allow_private:
            return
        try:
            infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
        except (socket.gaierror, ValueError) as err:
            raise FetchError(url, f"host does not resolve ({err})") from err
        for info in infos:
            reason = refused_address(str(info[4][0]))
            if reason is not None:
                raise FetchError(url, f"refused: {host} resolves to {reason}")

    return check
