"""A HAR exported masked (the page's default) and imported again: a signature that was masked
cannot be checked, and says so, for every provider; unmasked, every verdict comes back as it was."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from multidict import CIMultiDict

from inspector.config import SecretSpec
from inspector.send.samples import EVENTS
from inspector.send.sender import plan_delivery
from inspector.send.signing_keys import signing_key

from .conftest import Apps, AppsFactory, scheme_of

SIGNABLE = [name for name in EVENTS if scheme_of(name).sending.published]
ROOMY = {"max_requests": 1000, "max_bytes": 16 * 1024 * 1024}
Verdicts = dict[str, list[dict[str, Any]]]  # by the request's path: one path per provider


async def signed_by_every_provider(make_apps: AppsFactory) -> tuple[Apps, tuple[SecretSpec, ...]]:
    """A server that received one signed delivery of each provider, on a path of its own that
    the provider's secret is given (shared signature headers are told apart by path)."""
    keys = {name: signing_key(scheme_of(name), None) for name in SIGNABLE}
    specs = tuple(SecretSpec(name, key.verifying.secret, (f"/p/{name}",), key.verifying.options)
                  for name, key in keys.items() if key.verifying is not None)
    apps = await make_apps(secrets=specs, **ROOMY)
    now = time.time()
    for name, key in keys.items():
        delivery = plan_delivery(name, None, str(apps.hooks.make_url(f"/p/{name}")), None, now)
        signed = delivery.signed(key.signing, now)
        target = urlsplit(signed.url)
        response = await apps.hooks.post(target.path + (f"?{target.query}" if target.query else ""),
                                         data=signed.body,
                                         headers=CIMultiDict(delivery.headers(signed)))
        assert response.status < 500, name
    return apps, specs


async def verdicts_by_path(apps: Apps) -> Verdicts:
    """Each request's verdicts as its detail gives them (the page's view, causes found)."""
    listed = await (await apps.ui.get("/api/requests?limit=1000")).json()
    found = {}
    for summary in listed["requests"]:
        detail = await (await apps.ui.get(f"/api/requests/{summary['id']}")).json()
        found[detail["path"]] = detail["signatures"]
    return found


async def reimported(make_apps: AppsFactory, source: Apps, specs: tuple[SecretSpec, ...],
                     mask: bool) -> Verdicts:
    """The source's history exported, then imported into a fresh server with the same secrets."""
    document = await (await source.ui.get(f"/api/export.har?mask={int(mask)}")).read()
    target = await make_apps(secrets=specs, **ROOMY)
    response = await target.ui.post("/api/import", data=document,
                                    headers={"Content-Type": "application/json"})
    assert response.status == 200, await response.text()
    return await verdicts_by_path(target)


def statuses(verdicts: list[dict[str, Any]]) -> list[str]:
    return [verdict["status"] for verdict in verdicts]


async def test_a_masked_signature_is_never_called_a_mismatch(make_apps: AppsFactory) -> None:
    source, specs = await signed_by_every_provider(make_apps)
    captured = await verdicts_by_path(source)
    valid = {path for path, verdicts in captured.items() if statuses(verdicts) == ["valid"]}
    assert len(valid) >= len(SIGNABLE) - 5, sorted(set(captured) - valid)

    masked = await reimported(make_apps, source, specs, mask=True)
    said_masked = []
    for path in sorted(valid):
        (verdict,) = masked[path]
        if verdict["status"] != "valid":
            assert verdict["status"] == "unverified", (path, verdict)
            assert "masked" in verdict["reason"] and verdict["header"], (path, verdict)
            said_masked.append(path.removeprefix("/p/"))
    # Signatures in headers are masked; those in the body (Mailgun) or URL are not.
    assert {"github", "stripe", "gitlab", "standard-webhooks", "twilio", "discord", "telegram",
            "modern-treasury", "hmac"} <= set(said_masked)
    # Whatever the provider names its signature header (not always "signature"), it is masked.
    assert {"aftership", "heroku", "trello", "fourthwall", "bolt"} <= set(said_masked)
    assert "mailgun" not in said_masked

    unmasked = await reimported(make_apps, source, specs, mask=False)
    assert {path: statuses(verdicts) for path, verdicts in unmasked.items()} == \
        {path: statuses(verdicts) for path, verdicts in captured.items()}
