"""The HTTP guards every request passes, as one ASGI middleware in front of the API.

- **Trusted hosts** (as Starlette's ``TrustedHostMiddleware``): a ``Host`` header that is not one of the server's
  names answers 400, so a page on another site whose name is made to resolve to this machine (DNS rebinding)
  cannot talk to it.
- **Same-origin writes**: a POST (PUT, PATCH, DELETE) that a browser marks as coming from another site
  (``Sec-Fetch-Site: cross-site`` or ``same-site``, or an ``Origin`` that is not this server) answers 403, token or
  not. Clients that are not browsers send neither header and are not affected.
- **Body size**: the body is counted as it streams in, so a chunked upload (no ``Content-Length``) is held to the
  same limit as a declared one (413).
- **Security headers** on every answer: a Content-Security-Policy that allows only this server's own scripts,
  ``X-Content-Type-Options: nosniff``, no framing, no referrer.

Every refusal answers in the one error shape.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The web page loads its own scripts, styles and data only; nothing may frame it. The API documentation pages
# (Swagger UI, ReDoc) start with an inline script, so they alone may run inline code.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")  # fmt: skip
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
DOCS_PATHS = ("/docs", "/redoc")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class BodyTooLarge(HTTPException):
    """The streamed body passed the limit (raised from ``receive`` while the body is read; answered 413 by the
    API's error handlers, or here when it escapes them)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit:,} bytes")


def host_name(value: str) -> str | None:
    """The name in a ``Host`` header (no port, no brackets, lower case), or None when it cannot be read."""
    try:
        name = urlsplit("//" + value).hostname
    except ValueError:
        return None
    return name.lower() if name else None


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The names a server listening on ``bind`` answers to: that address, the local names, and ``extra``; a
    wildcard bind (0.0.0.0, ::) answers to any name unless ``extra`` names some ("*")."""
    names = [n.strip().lower().strip("[]") for n in extra if n.strip()]
    if bind in {"0.0.0.0", "::", ""} and not names:
        return ("*",)
    return tuple(dict.fromkeys([bind.lower().strip("[]"), *LOCAL_NAMES, *names]))


class Guards:
    """ASGI middleware applying the checks in the module's docstring."""

    def __init__(self, app: App, hosts: Iterable[str], max_body_bytes: int) -> None:
        self.app = app
        self.hosts = frozenset(hosts)
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = self._refusal(scope, headers)
        csp = (DOCS_CSP if scope.get("path", "") in DOCS_PATHS else CSP).encode()
        if refusal is not None:
            await _error(send, *refusal, csp=csp)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), (b"content-security-policy", csp),
                                      *SECURITY_HEADERS]  # fmt: skip
            await send(message)

        try:
            await self.app(scope, self._counting(receive), send_with_headers)
        except BodyTooLarge:
            if not started:
                await _error(send, 413, f"request body over {self.max_body_bytes:,} bytes", csp=csp)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        name = host_name(headers.get("host", ""))
        if "*" not in self.hosts and name not in self.hosts:
            return 400, "invalid Host header: this server does not answer to that name"
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            return 413, f"request body over {self.max_body_bytes:,} bytes"
        if scope.get("method", "GET") in WRITE_METHODS:
            site = headers.get("sec-fetch-site")
            if site is not None and site not in {"same-origin", "none"}:
                return 403, f"refused: a write from another site ({site}) needs the page to be this server's"
            origin = headers.get("origin")
            if origin is not None and not _same_origin(origin, headers.get("host", ""), scope):
                return 403, "refused: a write whose Origin is another site"
        return None

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise BodyTooLarge(self.max_body_bytes)
            return message

        return counted


def _same_origin(origin: str, host: str, scope: Scope) -> bool:
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    scheme = scope.get("scheme", "http")
    return parts.scheme == scheme and bool(parts.netloc) and parts.netloc.lower() == host.lower()


async def _error(send: Send, status: int, message: str, csp: bytes) -> None:
    body = json.dumps({"ok": False, "error": message, "status": status}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"content-security-policy", csp), *SECURITY_HEADERS]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
