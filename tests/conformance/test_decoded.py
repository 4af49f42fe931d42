"""Conformance judges the body the page shows (SPEC 13): a delivery sent with a Content-Encoding
is judged decoded, by the search's bounded view, through the real listeners and in `check`;
what cannot be decoded is `not_json`, and a decompression bomb is not judged and never holds
the loop."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import brotli
import pytest

from ..cli_process import run
from ..conftest import Apps
from ..prober import LOOP_HOLD_S, LoopLag
from .test_everywhere import BONDIFY, api
from .vectors import CONFORMING

GOOD = CONFORMING["bondify/auth.confirmed"]
NUMBERED = json.dumps({**GOOD, "telegram_id": 123456789}).encode()
ENCODERS = {"gzip": gzip.compress, "br": brotli.compress, "deflate": zlib.compress}


async def post(apps: Apps, body: bytes, coding: str,
               headers: dict[str, str] | None = None) -> int:
    answer = await apps.hooks.post("/auth", data=body,
                                   headers={**(headers or BONDIFY), "Content-Encoding": coding})
    assert answer.status == 200
    found: int = (await answer.json())["id"]
    return found


@pytest.mark.parametrize("coding", sorted(ENCODERS))
async def test_a_compressed_delivery_is_judged_decoded(apps: Apps, coding: str) -> None:
    deviating = await post(apps, ENCODERS[coding](NUMBERED), coding)
    conforming = await post(apps, ENCODERS[coding](json.dumps(GOOD).encode()), coding)
    detail = (await api(apps, f"/api/requests/{deviating}"))["conformance"]
    assert detail["status"] == "deviates"
    assert [(f["path"], f["keyword"]) for f in detail["findings"]] == [("/telegram_id", "type")]
    listed = {item["id"]: item["conformance"] for item in
              (await api(apps, "/api/requests"))["requests"]}
    assert listed == {deviating: "deviates", conforming: "conforms"}
    found = await api(apps, "/api/requests?q=finding:/telegram_id")
    assert [item["id"] for item in found["requests"]] == [deviating]


async def test_an_undecodable_body_is_not_json(apps: Apps) -> None:
    """Prime Bot names its event in a header: known whatever the body."""
    payload = json.dumps(CONFORMING["primebot/message.received"]).encode()
    named = {"X-PrimeBot-Event": "message.received", "Content-Type": "application/json"}
    broken = await post(apps, gzip.compress(payload)[:-12], "gzip", named)
    garbage = await post(apps, payload, "gzip", named)  # says gzip, is not
    for found in (broken, garbage):
        assert (await api(apps, f"/api/requests/{found}"))["conformance"]["status"] == \
            "not_json"


async def test_a_gzip_bomb_is_not_judged_and_never_holds_the_loop(apps: Apps) -> None:
    padding = b"1" * (10 * 1024 * 1024)  # 10 MiB of JSON from about 10 KB of gzip
    bomb = gzip.compress(b'{"telegram_id": "' + padding + b'"}', compresslevel=9)
    found = [await post(apps, bomb, "gzip") for _ in range(5)]
    async with LoopLag() as lag:  # each summary asks its status, and so does the search
        listed = (await api(apps, "/api/requests"))["requests"]
        await api(apps, "/api/requests?q=schema:deviates")
    held = [lag.worst_cpu]
    # Not measured: DETAIL shows the body decoded up to bodies.DECODED_CAP, which holds the
    # loop about 20 ms on its own (before conformance, too).
    details = [await api(apps, f"/api/requests/{i}") for i in found]
    assert [item["conformance"] for item in listed] == [None] * 5
    assert [detail["conformance"] for detail in details] == [None] * 5
    # 40 bombs: their views (1 MiB each) are past what the search keeps, so "not judged" is
    # kept beside the statuses, else each listing would decode every one again.
    for _ in range(35):
        await post(apps, bomb, "gzip")
    assert len((await api(apps, "/api/requests"))["requests"]) == 40  # each decoded once
    async with LoopLag() as lag:
        listed = (await api(apps, "/api/requests"))["requests"]
    held.append(lag.worst_cpu)
    assert [item["conformance"] for item in listed] == [None] * 40
    assert max(held) <= LOOP_HOLD_S, held


@pytest.mark.parametrize("coding", sorted(ENCODERS))
def test_check_decodes_per_its_content_encoding_header(tmp_path: Path, coding: str) -> None:
    path = tmp_path / "body.bin"
    path.write_bytes(ENCODERS[coding](NUMBERED))
    done = run("check", "bondify", "--body", f"@{path}", "--header",
               f"Content-Encoding: {coding}", "--json", cwd=tmp_path)
    verdict = json.loads(done.stdout)
    assert done.returncode == 1 and verdict["status"] == "deviates"
    assert [f["path"] for f in verdict["findings"]] == ["/telegram_id"]
    path.write_bytes(b"not " + coding.encode())
    done = run("check", "bondify", "auth.confirmed", "--body", f"@{path}", "--header",
               f"Content-Encoding: {coding}", "--json", cwd=tmp_path)
    assert done.returncode == 1 and json.loads(done.stdout)["status"] == "not_json"
