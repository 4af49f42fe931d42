"""Each JSON text on the capture path is parsed once (issue 24): a captured delivery's body by
`parse_json` (msgspec, json what it refuses), whoever reads it after (detection, verification,
identify, the conformance judge while a listening client's summary is built); Mandrill's
events, a form field's JSON, once too. The real listeners on loopback, a real websocket
client; the parsers are counted where they are called, the real ones still reading."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from websockets.asyncio.client import connect

from inspector.config import SecretSpec
from inspector.signatures import _api
from inspector.signatures._api import Key, SignInput

from ..conftest import AppsFactory, scheme_of

SECRET = "parsed-once-secret"
GITHUB = {"action": "opened", "number": 1, "pull_request": {"number": 1, "title": "x"},
          "repository": {"id": 1, "full_name": "o/r"}, "sender": {"login": "u"}}
PLIVO = {"Event": "StartApp", "CallUUID": "c-1", "From": "1", "To": "2"}
BONDIFY = {"event": "auth.confirmed", "session_token": "s" * 32}


class Parses:
    """How many times each text was handed to a JSON parser (msgspec's decode, json's
    scanner, json.loads), counted by the text's bytes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.counted: Counter[bytes] = Counter()
        for owner, name in ((_api, "_read_json"), (_api, "_scan"), (json, "loads")):
            monkeypatch.setattr(owner, name, self._counting(getattr(owner, name)))

    def _counting(self, parse: Callable[..., Any]) -> Callable[..., Any]:
        def counted(text: str | bytes, *args: Any, **kwargs: Any) -> Any:
            self.counted[text.encode("utf-8", "surrogatepass") if isinstance(text, str)
                         else bytes(text)] += 1
            return parse(text, *args, **kwargs)
        return counted


def signed(provider: str, url: str, body: bytes, content_type: str) -> dict[str, str]:
    message = SignInput(body, url, time.time(), "msg-1", content_type)
    headers = scheme_of(provider).sign(Key(SECRET), message).headers
    return {"Content-Type": content_type, **dict(headers)}


CASES = {
    "github": (json.dumps(GITHUB).encode(), "application/json",
               {"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "d-1"}),
    "bondify": (json.dumps(BONDIFY).encode(), "application/json", {}),
    "plivo": (json.dumps(PLIVO).encode(), "application/json", {}),
    "mandrill": (urlencode({"mandrill_events": json.dumps([{"event": "send", "_id": "m-1"}])}
                           ).encode(), "application/x-www-form-urlencoded", {}),
}


@pytest.mark.parametrize("provider", sorted(CASES))
async def test_a_captured_body_is_parsed_once(make_apps: AppsFactory, provider: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    apps = await make_apps(secrets=(SecretSpec(provider, SECRET),))
    body, content_type, extra = CASES[provider]
    url = f"{apps.inspector.hook_url}/{provider}"
    headers = {**signed(provider, url, body, content_type), **extra}
    async with connect(apps.ws_url()) as client:
        await client.recv()  # the hello: from here on, each capture is summarised for it
        parses = Parses(monkeypatch)
        answer = await apps.hooks.post(f"/{provider}", data=body, headers=headers)
        assert answer.status == 200
        message = await asyncio.wait_for(client.recv(), 5)
        monkeypatch.undo()
    summary = json.loads(message)["request"]
    assert summary["provider"] == scheme_of(provider).name, summary
    assert summary["signature"] == "valid", summary
    if provider == "github":  # the judge read the delivery's JSON (its schema is bundled)
        assert summary["conformance"] in ("conforms", "deviates"), summary
    if provider == "mandrill":
        assert summary["event"] == "send"
        events = json.dumps([{"event": "send", "_id": "m-1"}]).encode()
        assert parses.counted == {events: 1}, parses.counted
    else:
        assert parses.counted == {body: 1}, parses.counted
