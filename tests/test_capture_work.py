"""Each fact about a captured request is worked out once on the capture's path: its headers
decoded once and its JSON body parsed once, however many parts of the capture ask (the
verdicts, the event, a provider's handshake)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest

import inspector.analysis
import inspector.hooks.connection
import inspector.signatures._api
from inspector.config import SecretSpec

from .conftest import AppsFactory

SECRET = "meta-app-secret"
ENVELOPE = json.dumps({"object": "page", "entry": [
    {"id": "1", "time": 1, "changes": [{"field": "feed", "value": {"item": "post"}}]}]}).encode()


def counted(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    calls = [0]
    original: Callable[..., Any] = getattr(module, name)

    def counting(*args: Any) -> Any:
        calls[0] += 1
        return original(*args)

    monkeypatch.setattr(module, name, counting)
    return calls


async def test_a_delivery_is_decoded_and_parsed_once_when_a_handshake_could_answer_it(
        make_apps: AppsFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Meta's secret answers subscription handshakes, so the capture asks it about every
    request; it reads the delivery the analysis made. The headers are made once, from the
    parser's pieces: the header block is not decoded again."""
    apps = await make_apps(secrets=(SecretSpec("facebook", SECRET,
                                               options={"verify_token": "token"}),))
    decoded = counted(monkeypatch, inspector.analysis, "decode_header_block")
    made = counted(monkeypatch, inspector.hooks.connection, "received_headers")
    parsed = counted(monkeypatch, inspector.signatures._api, "parse_json")
    signature = "sha256=" + hmac.new(SECRET.encode(), ENVELOPE, hashlib.sha256).hexdigest()
    answer = await apps.hooks.post("/meta", data=ENVELOPE, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": signature})
    assert answer.status == 200
    assert (made[0], decoded[0], parsed[0]) == (1, 0, 1)
    stored = apps.inspector.store.get((await answer.json())["id"])
    assert stored is not None and stored.event == "page.feed"
    assert [verdict.status for verdict in stored.signatures] == ["valid"]
