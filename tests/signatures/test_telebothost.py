"""TeleBotHost's signed user links, through the real hooks listener: detected by their query,
named after `command`, `options` decoded, verified through a generic `hmac` secret with
query = "sig" (or by discovery with a telebothost secret), since the scheme is unpublished."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit

from inspector.config import SecretSpec
from inspector.signatures import Delivery, Headers, Key, SignInput, detect, get
from inspector.signatures.discovered import decode_options, user_link
from inspector.signatures.generic import GenericHmac

from ..conftest import Apps, AppsFactory

SECRET = "tbh-link-signing-key"
PUBLIC = "https://prod-api.telebothost.com"
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "prod-api.telebothost.com"}
# A construction the generic scheme can express, standing in for TeleBotHost's unpublished one.
OPTIONS = {"query": "sig", "payload": "{url}", "algorithm": "sha256", "encoding": "hex"}


def signed_link(options: str = '{"level":10}', user: str = "5723455420") -> str:
    query = urlencode({"command": "syncGameData", "options": options, "user": user,
                       "ref": "profile", "lang": "en"})
    url = f"{PUBLIC}/ownlang/webhook/5484560?{query}"
    return GenericHmac(OPTIONS).sign(Key(SECRET, OPTIONS), SignInput(b"", url, 0, "-")).url


async def opened(apps: Apps, url: str) -> dict[str, Any]:
    split = urlsplit(url)
    response = await apps.hooks.get(f"{split.path}?{split.query}", headers=FORWARDED)
    request_id = (await response.json())["id"]
    return await (await apps.ui.get(f"/api/requests/{request_id}")).json()


async def test_a_link_is_named_and_verified_through_a_generic_secret(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("hmac", SECRET, options=OPTIONS),))
    link = signed_link()
    first = await opened(apps, link)
    assert first["provider"] == "telebothost" and first["event"] == "syncGameData"
    assert [(v["provider"], v["status"]) for v in first["signatures"]] == [("hmac", "valid")]
    assert SECRET not in json.dumps(first)
    again = await opened(apps, link)
    assert again["duplicate_of"] == first["id"]
    tampered = await opened(apps, link.replace("level%22%3A10", "level%22%3A99"))
    assert tampered["event"] == "syncGameData" and tampered["signature"] == "invalid"
    # The same signature on changed values: no resend of the link it was taken from (a
    # request whose signature is not valid is never marked a duplicate of a valid one).
    assert tampered["duplicate_of"] is None


async def test_without_a_secret_the_link_is_labelled_unverified(make_apps: AppsFactory) -> None:
    apps = await make_apps()
    found = await opened(apps, signed_link())
    assert found["provider"] == "telebothost" and found["event"] == "syncGameData"
    (verdict,) = found["signatures"]
    assert verdict["status"] == "unverified" and 'query = \\"sig\\"' in json.dumps(verdict)


async def test_a_telebothost_secret_is_checked_by_discovery(make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("telebothost", SECRET),))
    found = await opened(apps, signed_link())
    (verdict,) = found["signatures"]
    assert verdict["provider"] == "telebothost" and verdict["status"] == "valid"
    assert "found by discovery" in verdict["reason"]
    assert 'command syncGameData for user 5723455420, options {"level": 10}' in \
        verdict["reason"]
    assert SECRET not in json.dumps(found)
    wrong = await make_apps(secrets=(SecretSpec("telebothost", "another-key"),))
    assert (await opened(wrong, signed_link()))["signature"] == "invalid"


def delivery(url: str) -> Delivery:
    return Delivery("GET", url, Headers([]), b"")


def test_only_a_link_with_all_four_values_is_telebothosts() -> None:
    link = signed_link()
    scheme = detect(delivery(link))
    assert scheme is not None and scheme.name == "telebothost"
    without_user = link.replace("&user=5723455420", "")
    assert detect(delivery(without_user)) is None
    assert detect(delivery(f"{PUBLIC}/hook?sig=abc")) is None
    telebothost = get("telebothost")
    assert telebothost is not None
    missing = telebothost.verify(delivery(without_user), Key(SECRET), 0)
    assert missing.status == "missing" and "command, options, sig and user" in missing.reason


def test_options_are_decoded_and_kept_as_sent_when_not_json() -> None:
    link = user_link(delivery(signed_link('{"plan":"pro","seats":[1,2]}')))
    assert link is not None and link.options == {"plan": "pro", "seats": [1, 2]}
    assert link.command == "syncGameData" and link.user == "5723455420"
    assert decode_options("not json{") == "not json{"
    assert decode_options("[" * 100_000) == "[" * 100_000
