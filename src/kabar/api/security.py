"""Guards for the HTTP API: which URLs the server may fetch, and who may write."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from kabar.errors import FetchError

LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def is_local_bind(host: str) -> bool:
    """True when a server bound to ``host`` is reachable from this machine only."""
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_guard(allow_private: bool) -> Callable[[str], None]:
    """A guard refusing non-http(s) URLs and, unless allowed, hosts that resolve to loopback, private,
    link-local or reserved addresses (the server must not be used to reach the network it sits in)."""

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
        except socket.gaierror as err:
            raise FetchError(url, f"host does not resolve ({err.strerror})") from err
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if (address.is_loopback or address.is_private or address.is_link_local or address.is_reserved
                    or address.is_multicast or address.is_unspecified):  # fmt: skip
                raise FetchError(url, f"refused: {host} is a local or private address ({address})")

    return check
