"""Provider, event, delivery id, duplicates and verdicts on captured requests; secrets at run time;
/api/verify and /api/providers, through the real apps."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from typing import Any

import pytest
from websockets.asyncio.client import connect

from inspector.config import SecretSpec
from inspector.signatures import SCHEMES

from ..conftest import Apps, AppsFactory
from .vectors import load_vectors

SECRET = "bondify-secret-key"


def bondify_headers(body: bytes, secret: str = SECRET) -> dict[str, str]:
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Bondify-Signature": signature, "Content-Type": "application/json"}


def bondify_body(event: str = "auth.confirmed", session: str = "sess_1") -> bytes:
    return json.dumps({"event": event, "session_token": session, "telegram_user_id": 42,
                       "telegram_username": None, "confirmed_at": 1767225600000}).encode()


async def post(apps: Apps, path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    response = await apps.hooks.post(path, data=body, headers=headers)
    request_id = (await response.json())["id"]
    return await (await apps.ui.get(f"/api/requests/{request_id}")).json()


async def test_bondify_valid_event_and_duplicates(make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("bondify", SECRET),))
    body = bondify_body()
    first = await post(apps, "/webhooks/bondify", body, bondify_headers(body))
    assert first["provider"] == "bondify" and first["event"] == "auth.confirmed"
    assert first["signature"] == "valid" and first["duplicate_of"] is None
    (verdict,) = first["signatures"]
    assert verdict["header"] == "X-Bondify-Signature" and SECRET not in json.dumps(first)
    again = await post(apps, "/webhooks/bondify", body, bondify_headers(body))
    assert again["duplicate_of"] == first["id"]
    other = bondify_body(session="sess_2")
    assert (await post(apps, "/webhooks/bondify", other,
                       bondify_headers(other)))["duplicate_of"] is None


async def test_a_forged_resend_is_no_duplicate_and_no_original(make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("bondify", SECRET),))
    body = bondify_body(session="sess_forged")
    forged = await post(apps, "/webhooks/bondify", body, bondify_headers(body, "not-the-secret"))
    assert forged["signature"] == "invalid" and forged["duplicate_of"] is None
    first = await post(apps, "/webhooks/bondify", body, bondify_headers(body))
    assert first["duplicate_of"] is None  # the forged one was not taken as the original
    forged_again = await post(apps, "/webhooks/bondify", body,
                              bondify_headers(body, "not-the-secret"))
    assert forged_again["duplicate_of"] is None
    resent = await post(apps, "/webhooks/bondify", body, bondify_headers(body))
    assert resent["duplicate_of"] == first["id"]


async def test_tampered_and_missing_are_reported(make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("bondify", SECRET, paths=("/webhooks/*",)),))
    body = bondify_body()
    tampered = await post(apps, "/webhooks/bondify", body + b"\n", bondify_headers(body))
    assert tampered["signature"] == "invalid"
    assert "without its trailing newline" in tampered["signatures"][0]["reason"]
    missing = await post(apps, "/webhooks/other", b"{}", {})
    assert missing["signature"] == "missing"
    assert "X-Bondify-Signature" in missing["signatures"][0]["reason"]
    elsewhere = await post(apps, "/elsewhere", b"{}", {})
    assert elsewhere["signatures"] == [] and elsewhere["signature"] is None


async def test_a_secret_for_other_paths_is_named(make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("bondify", SECRET, paths=("/webhooks/*",)),))
    body = bondify_body()
    found = await post(apps, "/hooks/bondify", body, bondify_headers(body))
    (verdict,) = found["signatures"]
    assert verdict["status"] == "unverified"
    assert "configured, but for other paths (/webhooks/*), not for /hooks/bondify" in \
        verdict["reason"]


async def test_key_rotation_any_secret_may_match(make_apps: AppsFactory) -> None:
    rotated = (SecretSpec("bondify", "old-key"), SecretSpec("bondify", SECRET))
    apps = await make_apps(secrets=rotated)
    body = bondify_body()
    detail = await post(apps, "/b", body, bondify_headers(body))
    assert [v["status"] for v in detail["signatures"]] == ["valid"]


async def test_unverified_names_the_flag(apps: Apps) -> None:
    detail = await post(apps, "/gh", b'{"action": "opened"}',
                        {"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "d-1",
                         "X-Hub-Signature-256": "sha256=" + "0" * 64})
    assert detail["provider"] == "github" and detail["event"] == "pull_request.opened"
    assert detail["delivery_id"] == "d-1" and detail["signature"] == "unverified"
    assert "--secret github=" in detail["signatures"][0]["reason"]


async def test_primebot_delivery_duplicates_and_stale_timestamp(make_apps: AppsFactory) -> None:
    secret = "p" * 32
    apps = await make_apps(secrets=(SecretSpec("primebot", secret),))
    body = b'{"id": "evt_1", "type": "message.received", "data": {}}'
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {"X-PrimeBot-Signature": signature, "X-PrimeBot-Event": "message.received",
               "X-PrimeBot-Delivery": "dlv_9", "X-PrimeBot-Timestamp": "1000"}
    stale = await post(apps, "/pb", body, headers)
    assert stale["signature"] == "stale" and stale["event"] == "message.received"
    assert stale["signatures"][0]["timestamp_age_s"] > 300
    again = await post(apps, "/pb", body, headers)
    assert again["duplicate_of"] == stale["id"] and again["delivery_id"] == "dlv_9"


async def test_secrets_added_and_removed_at_run_time_reverify(apps: Apps) -> None:
    body = bondify_body()
    detail = await post(apps, "/b", body, bondify_headers(body))
    assert detail["signature"] == "unverified"
    async with connect(apps.ws_url()) as ws:
        await ws.recv()
        response = await apps.ui.post("/api/secrets", json={"provider": "bondify",
                                                            "secret": SECRET})
        assert response.status == 201
        label = (await response.json())["label"]
        update = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert update["type"] == "update" and update["request"]["signature"] == "valid"
        listed = await (await apps.ui.get("/api/secrets")).json()
        assert listed == [{"label": "bondify", "provider": "bondify", "paths": [],
                           "fingerprint": listed[0]["fingerprint"]}]
        assert SECRET not in json.dumps(listed)
        assert (await apps.ui.delete(f"/api/secrets/{label}")).status == 204
        update = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert update["request"]["signature"] == "unverified"
    assert (await apps.ui.delete("/api/secrets/nope")).status == 404
    bad = await apps.ui.post("/api/secrets", json={"provider": "nosuch", "secret": "x"})
    assert bad.status == 400 and "unknown provider" in (await bad.json())["error"]


async def test_api_verify_agrees_with_every_vector(apps: Apps) -> None:
    for case in load_vectors():
        response = await apps.ui.post("/api/verify", json={
            "provider": case["provider"], "secret": case["secret"], "method": case["method"],
            "url": case["url"], "headers": case["headers"], "body": case["body"],
            "now": case["now"]})
        assert response.status == 200
        status = (await response.json())["verdict"]["status"]
        assert (status == "valid") == (case["expect"] == "valid"), case["description"]


async def test_api_verify_errors(apps: Apps) -> None:
    for payload in ({"provider": "github"}, {"provider": "nosuch", "secret": "x"},
                    {"provider": "github", "secret": "x", "body_base64": "%%%"},
                    {"provider": "stripe", "secret": "x", "now": float("nan")}):
        response = await apps.ui.post("/api/verify", json=payload)
        assert response.status == 400
    response = await apps.ui.post("/api/verify", data=b"not json")
    assert response.status == 400


async def test_providers_list(make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("stripe", "whsec_x"),))
    providers = await (await apps.ui.get("/api/providers")).json()
    by_name = {p["name"]: p for p in providers}
    assert set(by_name) == {scheme.name for scheme in SCHEMES}
    assert by_name["stripe"]["configured"] and not by_name["github"]["configured"]
    assert by_name["standard-webhooks"]["aliases"] == ["standard"]
    assert "Stripe-Signature" in by_name["stripe"]["headers"]


async def test_the_cause_of_a_mismatch_is_searched_for_on_reading_not_at_capture(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("bondify", SECRET),))
    body = bondify_body()
    await apps.hooks.post("/b", data=body + b"\n", headers=bondify_headers(body))
    stored = apps.inspector.store.get(1)
    assert stored is not None and stored.signatures[0].complete is False
    assert "trailing newline" not in stored.signatures[0].reason
    detail = await (await apps.ui.get("/api/requests/1")).json()
    assert "without its trailing newline" in detail["signatures"][0]["reason"]
    completed = apps.inspector.store.get(1)
    assert completed is not None and completed.signatures[0].complete is True


async def test_a_failing_scheme_does_not_lose_the_capture(
        make_apps: AppsFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from inspector.signatures.seeds import Bondify

    def broken(self: Bondify, delivery: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Bondify, "identify", broken)
    apps = await make_apps()
    body = bondify_body()
    response = await apps.hooks.post("/b", data=body, headers=bondify_headers(body))
    assert response.status == 200
    detail = await (await apps.ui.get("/api/requests/1")).json()
    assert detail["error"] == "analysis failed: RuntimeError"
    assert detail["body_text"] == body.decode()


async def test_a_secret_added_through_the_api_keeps_the_label_asked_for(apps: Apps) -> None:
    options = {"header": "X-Sig", "algorithm": "sha512", "encoding": "base64", "prefix": "v1=",
               "payload": "{timestamp}.{body}", "timestamp_header": "X-Ts", "tolerance_s": 60}
    added = await apps.ui.post("/api/secrets", json={"provider": "hmac", "secret": SECRET,
                                                     "label": "acme live", **options})
    assert added.status == 201 and (await added.json())["label"] == "acme live"
    again = await apps.ui.post("/api/secrets", json={"provider": "hmac", "secret": SECRET,
                                                     "label": "acme live", **options})
    assert again.status == 400 and "already labelled" in (await again.json())["error"]
    slashed = await apps.ui.post("/api/secrets", json={"provider": "github", "secret": SECRET,
                                                       "label": "a/b"})
    assert slashed.status == 400
    unnamed = await apps.ui.post("/api/secrets", json={"provider": "github", "secret": SECRET,
                                                       "label": ""})
    assert (await unnamed.json())["label"] == "github"
    listed = await (await apps.ui.get("/api/secrets")).json()
    assert [secret["label"] for secret in listed] == ["acme live", "github"]


async def test_providers_list_the_options_their_secrets_take(apps: Apps) -> None:
    providers = {p["name"]: p for p in await (await apps.ui.get("/api/providers")).json()}
    generic = {option["name"]: option["choices"] for option in providers["hmac"]["options"]}
    assert list(generic) == ["header", "query", "algorithm", "encoding", "prefix", "payload",
                             "timestamp_header", "tolerance_s", "secret_encoding", "id_header"]
    assert generic["algorithm"] == ["sha256", "sha1", "sha512"] and generic["header"] == []
    assert providers["whatsapp"]["options"] == [{"name": "verify_token", "choices": []}]
    assert providers["github"]["options"] == []
