"""Non-ASCII in what `send` delivers stays UTF-8 on the wire (`Ü` as C3 9C, never `\\u00dc`),
read as raw bytes by a receiver on loopback. Meta's Graph API documents signing an escaped
payload; it has no sample event, so no provider here is kept escaping on purpose."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import pytest

from inspector.outbound import client_session
from inspector.send.policies import POLICIES
from inspector.send.samples import EVENTS
from inspector.send.sender import deliver, plan_delivery
from inspector.send.signing_keys import signing_key

from .conftest import scheme_of
from .test_send_wire import UNPUBLISHED, RawReceiver, receiver

__all__ = ["receiver"]  # the fixture, used by name below

NOTE = "Über ✓ 日本"
JSON_PROVIDERS = [name for name in EVENTS if name not in UNPUBLISHED
                  and plan_delivery(name, None, "http://x/", None, 0).content_type
                  == "application/json"]


# Schemes that sign inside the body and re-serialise it with json.dumps' default ASCII
# escapes (signatures/embedded.py, signatures/sns.py; owned elsewhere): strict, so that the
# mark goes once they keep UTF-8.
@pytest.mark.parametrize("provider", JSON_PROVIDERS)
async def test_merged_data_keeps_utf8_on_the_wire(receiver: tuple[RawReceiver, str],
                                                  provider: str) -> None:
    raw, url = receiver
    key = signing_key(scheme_of(provider), None)
    delivery = plan_delivery(provider, None, url, {"note": NOTE}, time.time())
    async with client_session() as session:
        await deliver(session, delivery, key.signing, POLICIES[provider], False)
    ((_, body),) = raw.requests
    assert NOTE.encode() in body
    assert b"\\u" not in body


async def test_send_data_from_a_file_keeps_utf8(receiver: tuple[RawReceiver, str],
                                                tmp_path: Path) -> None:
    raw, url = receiver
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"note": NOTE}, ensure_ascii=False), "utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "inspector", "send", "github", "--to", url, "--data", f"@{data}",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err
    ((_, body),) = raw.requests
    assert NOTE.encode() in body and b"\\u" not in body
