"""Property tests over the API's request bodies: whatever JSON a client sends, the answer is a result or the one
error shape with a 4xx status, never a 500; a refused article is not stored."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kabar.api.app import Settings, create_app
from tests.api.conftest import SLOW_MACHINE
from tests.fuzz.test_fuzz_readers import NASTY, WORDS

EXAMPLES = int(os.environ.get("KABAR_FUZZ_EXAMPLES", "25"))
BUDGET = settings(
    max_examples=EXAMPLES,
    deadline=20_000,
    derandomize="KABAR_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Short texts: the point is the request handling, not annotation speed on long text.
piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.sampled_from(NASTY[:6] + NASTY[7:]),
    st.text(max_size=8),
)
text = st.one_of(st.lists(piece, min_size=6, max_size=30).map(" ".join), st.text(max_size=30))
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text)
valid = st.fixed_dictionaries(
    {"text": text},
    optional={k: st.one_of(text, st.none()) for k in ("id", "title", "published", "source", "url")},
)
invalid = st.one_of(
    st.dictionaries(st.sampled_from(["text", "id", "title", "x"]), scalar, max_size=3), scalar
)
articles = st.one_of(st.lists(valid, min_size=1, max_size=3), st.lists(st.one_of(valid, invalid), max_size=3))
bodies = {
    "/api/articles": st.fixed_dictionaries({"articles": articles}),
    "/api/compare": st.fixed_dictionaries(
        {"articles": articles}, optional={"brief_length": st.one_of(st.integers(1, 10), scalar)}
    ),
    "/api/relate": st.fixed_dictionaries(
        {
            "pairs": st.lists(
                st.fixed_dictionaries({"premise": text, "hypothesis": text}, optional={"id": scalar}),
                max_size=3,
            )
        }
    ),
    "/api/ingest/url": st.fixed_dictionaries(
        {
            "url": st.one_of(
                text,
                st.sampled_from(
                    [
                        "file:///etc/passwd",
                        "ftp://127.0.0.1/x",
                        "http://127.0.0.1:9/x",
                        "http://[::1]/x",
                        "http://10.0.0.1/x",
                        "http://100.64.0.1/x",
                        "http://[2002:7f00:1::1]/x",
                        "http://[64:ff9b::7f00:1]/x",
                        "gopher://x",
                        "http://0x7f000001/",
                        "http://2130706433/",
                        "javascript:alert(1)",
                    ]
                ),
            )
        }
    ),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("fuzz-api") / "k.sqlite"
    with TestClient(
        create_app(Settings(db=str(db), **SLOW_MACHINE)),
        raise_server_exceptions=False,
        base_url="http://localhost",
    ) as test_client:
        yield test_client


def _answer_is_sound(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert response.status_code < 500, body
    if response.status_code >= 400:
        assert set(body) == {"ok", "error", "status"} and body["ok"] is False
        assert body["status"] == response.status_code and isinstance(body["error"], str)
    return body


@pytest.mark.parametrize("endpoint", sorted(bodies))
def test_fuzz_api_request_bodies(client: TestClient, endpoint: str) -> None:
    @BUDGET
    @given(body=bodies[endpoint])
    def check(body: dict[str, Any]) -> None:
        raw = json.dumps(
            body, ensure_ascii=True
        )  # lone surrogates travel as \ud800 escapes, as a client sends them
        before = client.get("/api/health").json()["counts"]["articles"]
        answer = _answer_is_sound(
            client.post(endpoint, content=raw, headers={"Content-Type": "application/json"})
        )
        after = client.get("/api/health").json()["counts"]["articles"]
        if endpoint == "/api/articles" and answer.get("ok"):
            assert after - before == answer["added"] + answer["duplicates"]
        elif endpoint != "/api/articles":
            assert after == before

    check()


@BUDGET
@given(
    raw=st.one_of(
        st.binary(max_size=300),
        st.sampled_from([b"[" * 100_000, b'{"articles": [' * 5000, b'{"articles": [{"text": "\\ud800"}]}']),
    )
)
def test_fuzz_api_raw_bytes(client: TestClient, raw: bytes) -> None:
    for endpoint in ("/api/articles", "/api/compare", "/api/relate"):
        _answer_is_sound(client.post(endpoint, content=raw, headers={"Content-Type": "application/json"}))
