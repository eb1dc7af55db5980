"""HTTP(S) fetching with limits: a per-read timeout, an overall deadline, a size cap, and an address policy.

The address policy is applied where the connection is made: the host name is resolved once, every address it
resolves to is checked, and the socket connects to a checked address. A name that resolves to a public address
when checked and to a private one a moment later (DNS rebinding) therefore cannot reach the private one.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from kabar import __version__
from kabar.errors import FetchError

USER_AGENT = f"kabar/{__version__} (+news monitoring; offline-first)"
TIMEOUT = 15.0
# The whole fetch (name resolution, connection, redirects, retries, body) must end within this many seconds: a
# server sending one byte every few seconds never trips the per-read timeout. Twice the per-read timeout leaves
# room for one slow retry; 30 s is also under the default reverse-proxy timeouts an API call sits behind.
DEADLINE = 30.0
RETRIES = 3
MAX_BYTES = 10_000_000
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_CHUNK = 65_536

# Networks a server must not be made to reach (RFC 6890 special-purpose registries). Python's own flags miss some
# (100.64.0.0/10 is neither private nor global on 3.11; 192.0.0.0/24 counts as global).
_BLOCKED_V4 = tuple(ipaddress.IPv4Network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
    "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
    "224.0.0.0/4", "240.0.0.0/4",
))  # fmt: skip
_BLOCKED_V6 = tuple(ipaddress.IPv6Network(n) for n in (
    "::/96", "::1/128", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7", "fe80::/10",
    "fec0::/10", "ff00::/8",
))  # fmt: skip
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How a fetch may go. ``allow_private=False`` refuses loopback, private, shared (CGNAT), link-local, reserved
    and multicast addresses, also when embedded in IPv6 (mapped, 6to4, NAT64), and ignores proxy settings so the
    checked address is the one connected to."""

    allow_private: bool = True
    timeout: float = TIMEOUT
    deadline: float = DEADLINE
    retries: int = RETRIES
    max_bytes: int = MAX_BYTES


def refused_address(address: str) -> str | None:
    """Why a server must not connect to ``address``, or None when it is a public unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = None
        if ip in _MAPPED:
            embedded = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            embedded = ip.sixtofour
        elif ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = refused_address(str(embedded))
            return None if inner is None else f"{ip} embeds {inner}"
        if any(ip in net for net in _BLOCKED_V6) or not ip.is_global:
            return f"{ip} is a local, private or reserved address"
        return None
    if any(ip in net for net in _BLOCKED_V4) or not ip.is_global:
        return f"{ip} is a local, private or reserved address"
    return None


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


class _Attempt:
    """One fetch: resolves and checks every address, connects to a checked one, and cuts every socket it opened
    when the deadline passes (a timer thread shuts them down, which ends any blocked read)."""

    def __init__(self, url: str, policy: FetchPolicy) -> None:
        self.url = url
        self.policy = policy
        self.ends = time.monotonic() + policy.deadline
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(policy.deadline, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Attempt:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def connect(self, host: str, port: int, timeout: float | None) -> socket.socket:
        infos = self._resolve(host, port)
        if not self.policy.allow_private:
            for info in infos:
                reason = refused_address(str(info[4][0]))
                if reason is not None:
                    raise FetchError(self.url, f"refused: {host} resolves to {reason}")
        last: OSError = OSError(f"{host} has no address")
        for family, type_, proto, _, address in infos:
            sock = socket.socket(family, type_, proto)
            with self._lock:
                if self.expired:
                    sock.close()
                    break
                self._sockets.append(sock)
            per_read = timeout if isinstance(timeout, int | float) else self.policy.timeout
            sock.settimeout(max(0.01, min(per_read, self.remaining())))
            try:
                sock.connect(address)
                return sock
            except OSError as err:
                last = err
        raise last

    def _resolve(self, host: str, port: int) -> list[Any]:
        """getaddrinfo in a worker thread, so a stalling name server cannot outlast the deadline."""
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                box["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as err:
                box["error"] = err

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(max(0.01, self.remaining()))
        if "error" in box:
            raise FetchError(self.url, f"host {host} does not resolve ({box['error']})")
        if "infos" not in box:
            raise FetchError(self.url, f"host {host} did not resolve within the deadline")
        return list(box["infos"])


class _PinnedHTTP(http.client.HTTPConnection):
    """A connection to the address the attempt checked, never to a second resolution of the host name."""

    def __init__(self, *args: Any, attempt: _Attempt, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._attempt = attempt

    def connect(self) -> None:
        self.sock = self._attempt.connect(self.host, self.port, self.timeout)
        if self._tunnel_host:  # type: ignore[attr-defined]
            self._tunnel()  # type: ignore[attr-defined]


class _PinnedHTTPS(_PinnedHTTP, http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        server = self._tunnel_host or self.host  # type: ignore[attr-defined]
        self.sock = self._context.wrap_socket(self.sock, server_hostname=server)  # type: ignore[attr-defined]


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, attempt: _Attempt) -> None:
        super().__init__()
        self.attempt = attempt

    def http_open(self, req: Any) -> Any:
        return self.do_open(functools.partial(_PinnedHTTP, attempt=self.attempt), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, attempt: _Attempt) -> None:
        super().__init__()
        self.attempt = attempt

    def https_open(self, req: Any) -> Any:
        context = getattr(self, "_context", None)
        return self.do_open(functools.partial(_PinnedHTTPS, attempt=self.attempt), req, context=context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only (urllib would also follow ftp://), each passing the guard; addresses are
    checked on connect."""

    def __init__(self, guard: Callable[[str], None] | None) -> None:
        self.guard = guard

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if not is_url(newurl):
            raise FetchError(req.full_url, f"refused a redirect to {newurl[:200]}: only http and https")
        if self.guard is not None:
            self.guard(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(
    url: str,
    policy: FetchPolicy | None = None,
    *,
    guard: Callable[[str], None] | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    max_bytes: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """GET a URL with retries within the policy's deadline; raises FetchError with a reason a user can act on
    (and, when a server answered, its ``status`` and ``retry_after``: a conditional GET's 304 is one).

    ``guard`` is called with every redirect target and raises to refuse one; ``timeout``, ``retries`` and
    ``max_bytes`` override the policy's; ``headers`` are sent besides User-Agent and Accept."""
    policy = policy or FetchPolicy()
    policy = replace(
        policy,
        timeout=policy.timeout if timeout is None else timeout,
        retries=policy.retries if retries is None else retries,
        max_bytes=policy.max_bytes if max_bytes is None else max_bytes,
    )
    if not is_url(url):
        raise FetchError(url, "only http and https URLs are fetched")
    with _Attempt(url, policy) as attempt:
        handlers: list[Any] = [_HTTPHandler(attempt), _HTTPSHandler(attempt), _Redirects(guard)]
        if not policy.allow_private:
            handlers.append(urllib.request.ProxyHandler({}))
        opener = urllib.request.build_opener(*handlers)
        last = "no attempt"
        answered: urllib.error.HTTPError | None = None
        for number in range(policy.retries):
            try:
                return _get(opener, url, attempt, headers or {})
            except urllib.error.HTTPError as err:
                last, answered = f"HTTP {err.code} {err.reason}", err
                if err.code not in _RETRY_STATUSES:
                    break
            except FetchError:
                raise
            except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
                if isinstance(getattr(err, "reason", None), FetchError):
                    raise err.reason from err  # type: ignore[union-attr]
                last = f"unreachable ({getattr(err, 'reason', err)})"
            if attempt.expired:
                break
            pause = 0.5 * 2**number
            if number + 1 < policy.retries and pause < attempt.remaining():
                time.sleep(pause)
        if attempt.expired:
            raise FetchError(url, f"no complete answer within the {policy.deadline:g} s deadline")
        error = FetchError(url, last)
        if answered is not None:
            error.status, error.retry_after = answered.code, answered.headers.get("Retry-After")
        raise error


def _get(
    opener: urllib.request.OpenerDirector, url: str, attempt: _Attempt, headers: Mapping[str, str]
) -> Fetched:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*", **headers})
    limit = attempt.policy.max_bytes
    with opener.open(request, timeout=attempt.policy.timeout) as response:
        parts: list[bytes] = []
        size = 0
        while True:
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"response larger than {limit:,} bytes")
        if attempt.expired:
            raise FetchError(url, f"no complete answer within the {attempt.policy.deadline:g} s deadline")
        answer = response.headers
        return Fetched(response.geturl(), b"".join(parts), answer.get("Content-Type", ""), answer.get("ETag"),
                       answer.get("Last-Modified"))  # fmt: skip
