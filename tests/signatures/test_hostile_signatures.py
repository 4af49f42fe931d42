"""Attacker-chosen signature headers and bodies never make a scheme raise: every input gets a
verdict, and a capture is never lost to a bug in analysis."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.analysis import analyze, configured
from inspector.captured import CapturedRequest
from inspector.config import SecretSpec
from inspector.signatures import SCHEMES, Delivery, Headers, Key, Scheme
from inspector.signatures.undocumented import UndocumentedScheme

from ..conftest import header_block
from .keys import signing_and_verifying_keys

ALL_HEADERS = sorted({h for s in SCHEMES for h in (*s.signature_headers, *s.marker_headers)
                      if not h.startswith(("(", "body:"))})
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                           | st.text(max_size=20),
                           lambda children: st.lists(children, max_size=3)
                           | st.dictionaries(st.text(max_size=10), children, max_size=3),
                           max_leaves=10)
bodies = st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()) | \
    st.fixed_dictionaries({"webhookTimestamp": json_values, "signature": json_values,
                           "event": json_values, "type": json_values}).map(
        lambda v: json.dumps(v).encode())
header_values = st.text(max_size=80) | st.sampled_from(
    ["t=abc,v1=", "ts=;h1=", "v1,", "v1a,!!", "sha256=", "v0=zz", "2026-13-45T99:99:99Z", ""])
KEYS = {scheme.name: signing_and_verifying_keys(scheme.name)[1]
        for scheme in SCHEMES if scheme.name != "bondio"}
KEYS["bondio"] = Key("bondio-key")


def headers_of(scheme: Scheme) -> st.SearchStrategy[dict[str, str]]:
    """Every header the scheme reads, with hostile values: so that parsing gets that far."""
    names = [h for h in (*scheme.signature_headers, *scheme.marker_headers)
             if not h.startswith(("(", "body:"))]
    return st.fixed_dictionaries({name: header_values for name in names})


def check(scheme: Scheme, headers: dict[str, str], body: bytes, now: float) -> None:
    delivery = Delivery("POST", "https://example.com/h?x=1", Headers(headers.items()), body)
    for explain in (False, True):
        verdict = scheme.verify(delivery, KEYS[scheme.name], now, explain)
        # An undocumented provider's requests can only be said to be unverifiable.
        judged = ("unverified", "missing") if isinstance(scheme, UndocumentedScheme) else \
            ("valid", "invalid", "stale", "missing", "malformed")
        assert verdict.status in judged
        assert verdict.timestamp_age_s is None or math.isfinite(verdict.timestamp_age_s)
    scheme.identify(delivery)
    scheme.detect_body(delivery)


@settings(max_examples=400, deadline=None, database=None)
@given(data=st.data(), body=bodies, now=st.floats(min_value=0, max_value=4e9))
def test_no_scheme_raises_on_hostile_input(data: st.DataObject, body: bytes, now: float) -> None:
    scheme = data.draw(st.sampled_from(SCHEMES))
    check(scheme, data.draw(headers_of(scheme)), body, now)


@pytest.mark.parametrize(("provider", "headers", "body"), [
    ("linear", {"Linear-Signature": "00"}, b'{"webhookTimestamp": {}}'),
    ("linear", {"Linear-Signature": "00"}, b'{"webhookTimestamp": 1e400}'),
    ("stripe", {"Stripe-Signature": "t=nan,v1=00"}, b"{}"),
    ("paddle", {"Paddle-Signature": "ts=inf;h1=00"}, b"{}"),
    ("mailgun", {}, b'{"signature": {"timestamp": "nan", "token": "t", "signature": "s"}}'),
    ("twitch", {"Twitch-Eventsub-Message-Signature": "sha256=00",
                "Twitch-Eventsub-Message-Timestamp": "2026-13-45T99:99:99Z",
                "Twitch-Eventsub-Message-Id": "1"}, b"{}"),
    ("graphcms", {"gcms-signature": "sign=abc, env=x, t=" + "9" * 5000}, b"{}"),
    ("contentful", {"x-contentful-signature": "x", "x-contentful-signed-headers": "",
                    "x-contentful-timestamp": "9" * 5000}, b"{}"),
    ("box", {"BOX-SIGNATURE-PRIMARY": "x",
             "BOX-DELIVERY-TIMESTAMP": "0001-01-01T00:00:00+01:00"}, b"{}"),
    ("hubspot", {"X-HubSpot-Signature-v3": "x", "X-HubSpot-Request-Timestamp": "9" * 5000}, b"[]"),
    ("sns", {}, b'{"Type": "Notification", "Message": "m", "MessageId": "1", "Timestamp": "t", '
                b'"TopicArn": "a", "Signature": "!!", "SignatureVersion": "1", '
                b'"SigningCertURL": "https://sns.us-east-1.amazonaws.com/a.pem"}'),
])
def test_found_by_fuzzing(provider: str, headers: dict[str, str], body: bytes) -> None:
    scheme = next(s for s in SCHEMES if s.name == provider)
    check(scheme, headers, body, 1767225600.0)


@settings(max_examples=150, deadline=None, database=None)
@given(headers=st.dictionaries(st.sampled_from(ALL_HEADERS), header_values, max_size=6),
       body=bodies)
def test_analysis_of_a_hostile_capture_never_raises(headers: dict[str, Any], body: bytes) -> None:
    secrets = configured([SecretSpec(name, KEYS[name].secret, options=dict(KEYS[name].options))
                          for name in ("stripe", "linear", "twitch", "mailgun", "hmac")])
    block = header_block(tuple((k.encode(), v.encode("utf-8", "surrogateescape"))
                                      for k, v in headers.items()))
    record = CapturedRequest(1, 1767225600.0, "POST", "/h", "x=1", "HTTP/1.1", "127.0.0.1",
                             block, body, len(body), b"")
    for explain in (False, True):
        analyze(record, secrets, explain)
