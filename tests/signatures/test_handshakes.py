"""Handshakes on hostile input: never raise, and never answer with the secret itself."""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.signatures import SCHEMES, Delivery, Headers, Key, handshake

SECRET = "the-configured-secret"
KEY = Key(SECRET, {"verify_token": "verify-me"})
params = st.sampled_from(["crc_token", "challenge", "hub.mode", "hub.challenge",
                          "hub.verify_token", "x"])
queries = st.lists(st.tuples(params, st.text(max_size=20)), max_size=4).map(
    lambda pairs: "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs))
documents = st.fixed_dictionaries({}, optional={
    "event": st.sampled_from(["endpoint.url_validation", "x"]) | st.integers(),
    "type": st.sampled_from(["url_verification"]) | st.none(),
    "challenge": st.text(max_size=10) | st.integers(),
    "payload": st.fixed_dictionaries({}, optional={"plainToken": st.text() | st.integers()})
    | st.text(),
    "events": st.just([]) | st.lists(st.integers(), max_size=2),
    "entropy": st.text(max_size=5)})
bodies = documents.map(lambda d: json.dumps(d).encode()) | st.binary(max_size=50)


@settings(max_examples=300, deadline=None, database=None)
@given(method=st.sampled_from(["GET", "POST", "PUT"]), query=queries, body=bodies,
       verification=st.none() | st.text(max_size=20))
def test_handshakes_never_raise_nor_echo_the_secret(method: str, query: str, body: bytes,
                                                    verification: str | None) -> None:
    headers = [("X-GCS-Webhooks-Endpoint-Verification", verification)] if verification else []
    delivery = Delivery(method, f"https://example.com/h?{query}", Headers(headers), body)
    for scheme in SCHEMES:
        answer = handshake(scheme, delivery, KEY, 0.0)
        if answer is not None:
            assert SECRET.encode() not in answer.body and b"verify-me" not in answer.body
