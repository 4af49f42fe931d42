"""Providers that deliver through Svix or Standard Webhooks, and the timestamped rows: detection
stays with the scheme whose headers a request carries, a brand's secret still verifies, and the
rows' timestamps (ISO 8601, old-only tolerance) are read as their providers' libraries read them."""

from __future__ import annotations

import base64
import json
import secrets
import time
from datetime import UTC, datetime

import pytest
from svix.webhooks import Webhook as SvixWebhook

from inspector.config import SecretSpec
from inspector.send.signing_keys import signing_key
from inspector.signatures import SCHEMES, Delivery, Headers, Key, SignInput, detect

from ..conftest import AppsFactory, scheme_of

NOW = 1_767_225_600.0
BODY = json.dumps({"type": "user.created", "object": "event", "data": {"id": "user_1"}})
BRANDS = ("clerk", "resend", "replicate")
ROWS = ("orb", "sentry", "terraform", "launch-darkly", "tiktok", "pinwheel", "go1", "frameio",
        "heroku")


def signed_by(provider: str, secret: str, now: float = NOW) -> Delivery:
    message = SignInput(body=BODY.encode(), url="https://abc.ngrok.app/hook", now=now,
                        message_id="msg_0001")
    signed = scheme_of(provider).sign(Key(secret), message)
    headers = Headers([("Content-Type", "application/json"), *signed.headers])
    return Delivery("POST", signed.url, headers, signed.body)


def whsec() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


@pytest.mark.parametrize(("provider", "detected_as"), [
    ("svix", "svix"), ("standard-webhooks", "standard-webhooks"), ("clerk", "svix"),
    ("resend", "svix"), ("replicate", "standard-webhooks")])
def test_svix_and_standard_webhooks_detection_is_unchanged_by_the_brands(
        provider: str, detected_as: str) -> None:
    found = detect(signed_by(provider, whsec()))
    assert found is not None and found.name == detected_as


def test_a_brand_marks_no_request_as_its_own_and_verifies_its_own_signature() -> None:
    for name in BRANDS:
        brand = scheme_of(name)
        assert brand.marker_headers == ()
        secret = whsec()
        assert brand.verify(signed_by(name, secret), Key(secret), NOW).status == "valid"
        assert brand.verify(signed_by(name, whsec()), Key(secret), NOW).status == "invalid"


@pytest.mark.parametrize("provider", ROWS)
def test_each_row_detects_its_own_requests(provider: str) -> None:
    found = detect(signed_by(provider, "row-secret"))
    assert found is not None and found.name == provider


OLDER = [scheme.name for scheme in SCHEMES  # those that can sign (a published scheme)
         if scheme.sending.published and scheme.name not in (*ROWS, *BRANDS, "hmac")]


@pytest.mark.parametrize("provider", OLDER)
def test_no_older_schemes_request_is_taken_by_a_new_one(provider: str) -> None:
    scheme = scheme_of(provider)
    message = SignInput(body=BODY.encode(), url="https://abc.ngrok.app/hook", now=NOW,
                        message_id="msg_0001")
    signed = scheme.sign(signing_key(scheme, None).signing, message)
    headers = [("Content-Type", "application/json"), *signed.headers,
               *scheme.sending.headers("test.event", "msg_0001", NOW)]
    found = detect(Delivery("POST", signed.url, Headers(headers), signed.body))
    assert found is None or found.name not in (*ROWS, *BRANDS)


def test_pinwheel_timestamp_header_alone_claims_nothing() -> None:
    """X-Timestamp is a common name: only X-Pinwheel-Signature marks Pinwheel."""
    headers = Headers([("X-Timestamp", "1609205925"), ("Content-Type", "application/json")])
    assert detect(Delivery("POST", "https://x/", headers, b"{}")) is None


def test_ngrok_identifier_and_brand_name_are_aliases() -> None:
    assert scheme_of("launch_darkly") is scheme_of("launch-darkly")
    assert scheme_of("launchdarkly") is scheme_of("launch-darkly")


def test_orb_reads_its_iso_timestamp_both_ways_and_rejects_a_bad_one() -> None:
    orb = scheme_of("orb")
    delivery = signed_by("orb", "orb-secret")
    stamp = delivery.headers.get("X-Orb-Timestamp")
    assert stamp == "2026-01-01T00:00:00Z"
    assert orb.verify(delivery, Key("orb-secret"), NOW + 299).status == "valid"
    assert orb.verify(delivery, Key("orb-secret"), NOW + 301).status == "stale"
    assert orb.verify(delivery, Key("orb-secret"), NOW - 301).status == "stale"
    naive = Delivery("POST", delivery.url, Headers(
        [(n, "2026-01-01T00:00:00" if n == "X-Orb-Timestamp" else v)
         for n, v in delivery.headers.items()]), delivery.body)
    assert orb.verify(naive, Key("orb-secret"), NOW).status != "malformed"  # naive is UTC
    garbled = Delivery("POST", delivery.url, Headers(
        [(n, "yesterday" if n == "x-orb-timestamp" else v)
         for n, v in delivery.headers.items()]), delivery.body)
    verdict = orb.verify(garbled, Key("orb-secret"), NOW)
    assert verdict.status == "malformed" and "X-Orb-Timestamp" in verdict.reason


def test_go1_like_its_library_rejects_only_old_timestamps() -> None:
    go1 = scheme_of("go1")
    delivery = signed_by("go1", "go1-secret")
    assert go1.verify(delivery, Key("go1-secret"), NOW - 3600).status == "valid"
    assert go1.verify(delivery, Key("go1-secret"), NOW + 61).status == "stale"


async def test_a_clerk_secret_verifies_what_svix_detection_labels(
        make_apps: AppsFactory) -> None:
    secret = whsec()
    moment = datetime.now(UTC)
    headers = {"svix-id": "msg_clerk_1", "svix-timestamp": str(int(moment.timestamp())),
               "svix-signature": SvixWebhook(secret).sign("msg_clerk_1", moment, BODY),
               "Content-Type": "application/json"}
    apps = await make_apps(secrets=(SecretSpec("clerk", secret),))
    response = await apps.hooks.post("/webhooks/clerk", data=BODY, headers=headers)
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    assert detail["provider"] == "svix" and detail["event"] == "user.created"
    (verdict,) = detail["signatures"]
    assert (verdict["provider"], verdict["status"]) == ("clerk", "valid")


async def test_a_brand_secret_for_a_path_applies_there_only(make_apps: AppsFactory) -> None:
    secret = whsec()
    delivery = signed_by("resend", secret, time.time())
    apps = await make_apps(secrets=(SecretSpec("resend", secret, paths=("/resend/*",)),))
    ids = []
    for path in ("/resend/events", "/elsewhere"):
        response = await apps.hooks.post(path, data=delivery.body,
                                         headers=dict(delivery.headers.items()))
        ids.append((await response.json())["id"])
    there, elsewhere = [await (await apps.ui.get(f"/api/requests/{i}")).json() for i in ids]
    assert [(v["provider"], v["status"]) for v in there["signatures"]] == [("resend", "valid")]
    assert [v["provider"] for v in elsewhere["signatures"]] == ["svix"]
    assert elsewhere["signatures"][0]["status"] == "unverified"


async def test_a_brand_secret_for_other_paths_stays_out_of_svix_requests(
        make_apps: AppsFactory) -> None:
    secret = whsec()
    delivery = signed_by("svix", secret, time.time())
    apps = await make_apps(secrets=(SecretSpec("svix", secret), SecretSpec("resend", whsec(),
                                                                           paths=("/resend",))))
    response = await apps.hooks.post("/hook", data=delivery.body,
                                     headers=dict(delivery.headers.items()))
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    assert [(v["provider"], v["status"]) for v in detail["signatures"]] == [("svix", "valid")]
