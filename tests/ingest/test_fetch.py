"""Fetching against real servers on loopback: the overall deadline, the size cap, the address policy applied to
the address actually connected to (DNS rebinding), and redirects."""

from __future__ import annotations

import http.server
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kabar.api.security import url_guard
from kabar.errors import FetchError
from kabar.ingest.fetch import FetchPolicy, fetch, refused_address


class _Site(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self.path == "/drip":  # one byte at a time, each well within the per-read timeout
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(40):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.25)
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"y" * 65536
            for _ in range(40):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/etc/passwd")
            self.end_headers()
        else:
            body = b"<html><body><p>halo</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture()
def site() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_Site,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_fetch_overall_deadline_stops_a_dripping_server(site: tuple[str, list[str]]) -> None:
    host, _ = site
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline"):
        fetch(f"http://{host}/drip", FetchPolicy(timeout=2.0, deadline=1.5, retries=1))
    assert time.monotonic() - started < 3.0  # the drip alone lasts 10 s


def test_fetch_size_cap_counts_chunked_bodies(site: tuple[str, list[str]]) -> None:
    host, _ = site
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"http://{host}/big", FetchPolicy(max_bytes=1_000_000, retries=1))


def test_fetch_refuses_redirects_off_http(site: tuple[str, list[str]]) -> None:
    host, _ = site
    with pytest.raises(FetchError, match="only http and https"):
        fetch(f"http://{host}/ftp", FetchPolicy(retries=1))


def test_fetch_loopback_allowed_or_refused_by_policy(site: tuple[str, list[str]]) -> None:
    host, hits = site
    assert b"halo" in fetch(f"http://{host}/page", FetchPolicy(retries=1)).content
    with pytest.raises(FetchError, match="refused"):
        fetch(f"http://{host}/private", FetchPolicy(allow_private=False, retries=1))
    assert hits == ["/page"]


def _rebinding(monkeypatch: pytest.MonkeyPatch, port: int) -> list[str]:
    """A resolver that answers a public address the first time and loopback after (a DNS rebinding attack)."""
    real: Callable[..., Any] = socket.getaddrinfo
    asked: list[str] = []

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return real(host, *args, **kwargs)
        asked.append(host)
        address = "93.184.216.34" if len(asked) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return asked


def test_fetch_connects_to_the_address_it_checked(
    site: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    host, hits = site
    port = int(host.rsplit(":", 1)[1])
    asked = _rebinding(monkeypatch, port)
    url = f"http://rebind.example:{port}/secret"
    url_guard(allow_private=False)(url)  # the early check sees the public address
    with pytest.raises(FetchError, match=r"refused: rebind\.example resolves to 127\.0\.0\.1"):
        fetch(url, FetchPolicy(allow_private=False, retries=1))
    assert hits == [], "the rebound loopback address was reached"
    assert (
        len(asked) == 2
    )  # the guard's lookup, then the fetch's one lookup, whose addresses it checks and uses


@pytest.mark.parametrize(
    "address",
    ["100.64.0.1", "100.127.255.254", "127.0.0.1", "10.1.2.3", "169.254.169.254", "192.0.0.8", "198.18.0.1",
     "0.0.0.0", "::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "2002:7f00:1::1", "2002:a00:1::1",
     "2001:0:4136:e378:8000:63bf:80ff:fffe", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1",
     "::127.0.0.1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1"],
)  # fmt: skip
def test_fetch_policy_refuses_local_and_embedded_private_addresses(address: str) -> None:
    assert refused_address(address) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "2002:808:808::1",
                                     "64:ff9b::808:808", "::ffff:8.8.8.8"])  # fmt: skip
def test_fetch_policy_allows_public_addresses(address: str) -> None:
    assert refused_address(address) is None


def test_url_guard_refuses_shared_address_space(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "",
                                                                   ("100.64.1.1", 80))])  # fmt: skip
    with pytest.raises(FetchError, match=r"100\.64\.1\.1"):
        url_guard(allow_private=False)("http://cgnat.example/")


def test_fetch_https_goes_through_the_checked_address_and_verifies_the_certificate(tmp_path: Path) -> None:
    """A TLS server on loopback with a self-signed certificate: the pinned HTTPS connection reaches it (the
    handshake happens) and refuses its certificate, which no authority signed."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=localhost"], check=True, capture_output=True)  # fmt: skip
    handler = type("Handler", (_Site,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(FetchError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
            fetch(f"https://localhost:{server.server_address[1]}/page", FetchPolicy(retries=1))
    finally:
        server.shutdown()
        server.server_close()
