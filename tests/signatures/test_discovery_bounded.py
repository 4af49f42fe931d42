"""Discovery is bounded (issue 28, 1): a request carrying many timestamp-, id- and
signature-like headers costs a budget of HMACs, likeliest first, and is explained off the event
loop, while capture keeps answering; a real signature among the noise is still found, and a
search the budget cut short says so."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

from inspector.config import SecretSpec
from inspector.signatures import Delivery, Headers, Key, SignInput, discover, get
from inspector.signatures.generic import GenericHmac

from ..conftest import Apps, AppsFactory
from ..prober import LOOP_HOLD_S, CaptureProber, LoopLag, ProbeResult, best_of
from .test_generic_and_discover import BODY, SECRET, bondio_like_headers
from .test_telebothost import FORWARDED, OPTIONS, signed_link
from .test_telebothost import SECRET as LINK_SECRET

NOW = 1767225600


def noise(count: int) -> list[tuple[str, str]]:
    """What made discovery cubic: timestamps, ids and signature-like values, `count` of each."""
    return [*((f"x-time-{n}", "1700000000") for n in range(count)),
            *((f"x-{n}-id", f"id-{n}") for n in range(count)),
            *((f"x-sig-{n}", hashlib.sha256(b"%d" % n).hexdigest()) for n in range(count))]


def hostile_bondio(count: int = 30) -> list[tuple[str, str]]:
    forged = base64.b64encode(hashlib.sha256(b"forged").digest()).decode()
    return [("bondio-signature", forged), ("Content-Type", "application/json"), *noise(count)]


def bondio_scheme_verify(headers: list[tuple[str, str]], secret: str) -> tuple[str, str, float]:
    scheme = get("bondio")
    assert scheme is not None
    started = time.perf_counter()
    verdict = scheme.verify(Delivery("POST", "https://example.com/h", Headers(headers), BODY),
                            Key(secret), NOW)
    return verdict.status, verdict.reason, time.perf_counter() - started


def test_at_the_header_limit_discovery_stops_at_its_budget_and_says_so() -> None:
    status, reason, took = bondio_scheme_verify(hostile_bondio(85), "anything")
    assert took < 2, took  # was about 3 minutes
    assert status == "invalid"
    assert "before its budget ran out" in reason and "more were not tried" in reason
    found = discover(Delivery("POST", "https://example.com/h", Headers(hostile_bondio(85)),
                              BODY), "anything")
    assert found.matches == [] and found.tried > 0 and found.untried > 0


def test_a_real_bondio_signature_among_the_noise_is_still_found() -> None:
    headers = [*bondio_like_headers().items(), *noise(85)]
    status, reason, took = bondio_scheme_verify(headers, SECRET)
    assert status == "valid" and "payload={timestamp}.{body}" in reason, reason
    assert took < 2, took


def test_a_value_that_cannot_be_an_hmac_is_said_so_not_zero_constructions() -> None:
    status, reason, _ = bondio_scheme_verify([("bondio-signature", "nope")], SECRET)
    assert status == "invalid" and "does not look like an HMAC" in reason
    assert "0 constructions" not in reason


def test_a_whole_search_counts_every_construction() -> None:
    found = discover(Delivery("POST", "https://example.com/h",
                              Headers(bondio_like_headers().items()), BODY), SECRET)
    # 12 payloads (body, 5 URL ones, 6 with the timestamp) x 3 algorithms x 2 encodings x 3
    # secret encodings, for the one signature-like value.
    assert (found.tried, found.untried) == (12 * 18, 0)


def hostile_link() -> str:
    """A TeleBotHost link whose (signed) query also carries many signature-like values."""
    extra = "&".join(f"s{n}={hashlib.sha1(b'%d' % n).hexdigest()}" for n in range(40))
    unsigned = signed_link().split("&sig=")[0] + "&" + extra
    return GenericHmac(OPTIONS).sign(Key(LINK_SECRET, OPTIONS),
                                     SignInput(b"", unsigned, 0, "-")).url


async def explain_hostile_requests(apps: Apps) -> tuple[ProbeResult, float]:
    """What capture felt (and the loop's longest hold) while the inspector explained a hostile
    Bondio request, a TeleBotHost link among noise and /api/verify discover, ten times."""
    async with LoopLag() as lag, CaptureProber(apps.inspector.hook_url) as probe:
        for _ in range(10):  # a second or so of probes
            posted = await apps.hooks.post("/bondio", data=BODY, headers=hostile_bondio())
            detail = await apps.ui.get(f"/api/requests/{(await posted.json())['id']}")
            (verdict,) = (await detail.json())["signatures"]
            assert verdict["status"] == "invalid" and "budget ran out" in verdict["reason"]
            link = urlsplit(hostile_link())
            opened = await apps.hooks.get(f"{link.path}?{link.query}",
                                          headers={**FORWARDED, **dict(noise(30))})
            detail = await apps.ui.get(f"/api/requests/{(await opened.json())['id']}")
            (verdict,) = (await detail.json())["signatures"]
            assert verdict["status"] == "valid" and "found by discovery" in verdict["reason"]
            asked = await apps.ui.post("/api/verify", json={
                "provider": "discover", "secret": "anything", "url": "https://example.com/h",
                "headers": hostile_bondio(80), "body": BODY.decode()})
            answer = await asked.json()
            assert answer["matches"] == [] and answer["untried"] > 0
    assert probe.result is not None
    return probe.result, lag.worst


async def test_explaining_hostile_requests_leaves_capture_alone(make_apps: AppsFactory) -> None:
    apps = await make_apps(max_requests=1000,
                           secrets=(SecretSpec("bondio", "anything"),
                                    SecretSpec("telebothost", LINK_SECRET)))
    probed, held = await best_of(3, lambda: explain_hostile_requests(apps),
                                 lambda found: found[0].unhindered and found[1] <= LOOP_HOLD_S)
    probed.assert_capture_unhindered()
    assert held <= LOOP_HOLD_S, held


async def test_a_real_signature_among_noise_is_found_through_the_api(
        make_apps: AppsFactory) -> None:
    apps = await make_apps()
    digest = hmac.new(SECRET.encode(), b"1767225600." + BODY, hashlib.sha256).digest()
    headers = [*bondio_like_headers().items(), *noise(60)]
    assert dict(headers)["bondio-signature"] == base64.b64encode(digest).decode()
    asked = await apps.ui.post("/api/verify", json={
        "provider": "discover", "secret": SECRET, "url": "https://example.com/h",
        "headers": headers, "body": BODY.decode()})
    found = [match["options"] for match in (await asked.json())["matches"]]
    assert {"header": "bondio-signature", "algorithm": "sha256", "encoding": "base64",
            "payload": "{timestamp}.{body}", "timestamp_header": "bondio-timestamp"} in found
    assert SECRET not in json.dumps(found)
