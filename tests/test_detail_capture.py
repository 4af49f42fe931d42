"""SPEC 3: capture never waits on the inspector, for what reading a stored request judges on
first read: the detail of a large deviating payload (its findings), of a compressed body (its
view), and the first listing of many compressed bodies (their conformance status). Each runs
while a separate process probes the hooks listener at 200 req/s and the loop's lag is measured
in process; the detail's content is what it was when made on the loop."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import string
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import brotli
import pytest
from websockets.asyncio.client import connect

from inspector import offload, serialize
from inspector.conformance import judged
from inspector.conformance.judged import DETAILED_HERE_BYTES, Judge
from inspector.conformance.loading import catalogue_for
from inspector.pieces import json_pieces
from inspector.query.body_view import body_view, body_view_steps, folded_view_steps
from inspector.query.text import fold, is_folded
from inspector.steps import finish

from .conftest import Apps, AppsFactory, make_capture
from .prober import LOOP_HOLD_S, CaptureProber, LoopLag, ProbeResult, best_of

BOUNDARY = "b0und"


def deviating_push(commits: int = 1380) -> bytes:
    """About 470 KB of a GitHub push (under the 512 KiB judged), each commit missing what
    GitHub documents: some 1,500 findings, six of them at the top of the payload."""
    return json.dumps({
        "ref": "refs/heads/main", "before": "0" * 40, "after": "1" * 40,
        "repository": {"id": 1, "name": "r", "full_name": "o/r"}, "pusher": {"name": "a"},
        "commits": [{"id": f"{i:040x}", "message": f"commit {i}", "distinct": True,
                     "timestamp": "2026-01-01T00:00:00Z", "url": f"https://x.test/c/{i}",
                     "author": {"name": "a", "email": "a@b.c", "username": "a"},
                     "committer": {"name": "a", "email": "a@b.c", "username": "a"},
                     "added": ["x"], "removed": [], "modified": ["y", "z"]}
                    for i in range(commits)]}).encode()


def invalid_bomb() -> bytes:
    """10 MiB of bytes that are not UTF-8, from about 10 KB of gzip: each decoded byte is a
    replacement character in the view a verdict reads."""
    return gzip.compress(b"\xff" * (10 * 1024 * 1024), compresslevel=9)


def multipart_bomb() -> bytes:
    """A gzipped form of 1,000 fields of 900 bytes that are not UTF-8 (just under the view's
    1 MiB), each a field the view decodes."""
    field = b"\xff" * 900
    parts = b"".join(b"--%s\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n%s\r\n"
                     % (BOUNDARY.encode(), index, field) for index in range(1000))
    return gzip.compress(parts + b"--%s--\r\n" % BOUNDARY.encode(), compresslevel=9)


GITHUB = {"X-GitHub-Event": "push", "Content-Type": "application/json"}
GZIPPED = {**GITHUB, "Content-Encoding": "gzip"}


FORM = {"X-GitHub-Event": "push", "Content-Encoding": "gzip",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


async def post(apps: Apps, body: bytes, headers: dict[str, str]) -> int:
    """The id the hooks listener gave it."""
    answer = await apps.hooks.post("/gh", data=body, headers=headers)
    assert answer.status == 200
    return int((await answer.json())["id"])


Measured = tuple[bytes, ProbeResult, float]


async def while_probed(apps: Apps, read: Callable[[], Awaitable[bytes]]) -> Measured:
    """What `read` answered (bytes: the test parses them after, off the measure), the probes,
    and the most CPU one piece of work held the loop."""
    assert apps.inspector.hook_url is not None
    async with CaptureProber(apps.inspector.hook_url) as probe, LoopLag() as lag:
        answer = await read()
    assert probe.result is not None
    print(f"\n{probe.result.describe()}; loop held at most {lag.worst * 1000:.1f} ms "
          f"({lag.worst_cpu * 1000:.1f} ms of CPU)")
    return answer, probe.result, lag.worst_cpu


def unhindered(measured: Measured) -> bool:
    return measured[1].unhindered and measured[2] <= LOOP_HOLD_S


async def first_read_probed(apps: Apps, store: Callable[[], Awaitable[str]]) -> Measured:
    """The best of three: each time `store` stores what is read (new, so judged anew) and
    names the path to read. The machine is shared: what runs beside can only slow capture."""
    async def scenario() -> Measured:
        path = await store()
        return await while_probed(apps, lambda: get(apps, path))
    return await best_of(3, scenario, unhindered)


def detail_on_the_loop(apps: Apps, request_id: int) -> object:
    """DETAIL as it was made before, every step on the loop, by a judge that keeps nothing yet."""
    record = apps.inspector.store.get(request_id)
    assert record is not None
    judge = Judge(catalogue_for([]))
    made = finish(serialize.detail(record, judge))
    return json.loads(b"".join(finish(json_pieces(made))))


async def get(apps: Apps, path: str) -> bytes:
    answer = await apps.ui.get(path)
    assert answer.status == 200
    return await answer.read()


async def spacious(make_apps: AppsFactory) -> Apps:
    """Apps that keep what is read while the probes are captured beside it."""
    return await make_apps(max_body=1024 * 1024, max_requests=5000,
                           max_bytes=64 * 1024 * 1024)


def assert_unhindered(probed: ProbeResult, held: float) -> None:
    probed.assert_capture_unhindered()
    assert held <= LOOP_HOLD_S, held


async def detail_read_apart(apps: Apps, body: bytes, headers: dict[str, str]) -> Any:
    """DETAIL of the body, just stored, read while probed: as made wholly on the loop."""
    async def store() -> str:
        return f"/api/requests/{await post(apps, body, headers)}"

    answer, probed, held = await first_read_probed(apps, store)
    detail = json.loads(answer)
    assert detail == detail_on_the_loop(apps, detail["id"])
    assert_unhindered(probed, held)
    return detail


async def test_the_detail_of_a_large_deviating_payload_leaves_capture_unhindered(
        make_apps: AppsFactory) -> None:
    body = deviating_push()
    assert 450_000 < len(body) < 512 * 1024
    detail = await detail_read_apart(await spacious(make_apps), body, GITHUB)
    assert detail["conformance"]["status"] == "deviates"
    assert len(detail["conformance"]["findings"]) == 101  # 100 and the count of the rest


async def test_the_detail_of_a_compressed_form_leaves_capture_unhindered(
        make_apps: AppsFactory) -> None:
    detail = await detail_read_apart(await spacious(make_apps), multipart_bomb(), FORM)
    assert 900_000 < detail["decoded"]["size"] < 1024 * 1024 and len(detail["parts"]) == 1000


async def test_the_first_listing_of_many_compressed_bodies_leaves_capture_unhindered(
        make_apps: AppsFactory) -> None:
    apps = await spacious(make_apps)
    bomb = invalid_bomb()

    async def store() -> str:
        ids = [await post(apps, bomb, GZIPPED) for _ in range(40)]
        return f"/api/requests?after={ids[0] - 1}&limit=40"

    answer, probed, held = await first_read_probed(apps, store)
    listed = json.loads(answer)["requests"]
    assert len(listed) == 40 and {summary["path"] for summary in listed} == {"/gh"}
    assert {summary["conformance"] for summary in listed} == {None}  # decoded past 512 KiB
    assert_unhindered(probed, held)


async def test_exporting_and_searching_such_records_leaves_capture_unhindered(
        make_apps: AppsFactory) -> None:
    """The HAR export judges each entry's payload (its `_conformance`), and a search of the
    body text reads each compressed body decoded: each made apart, in steps."""
    apps = await spacious(make_apps)
    body, bomb = deviating_push(), invalid_bomb()
    pushed: list[int] = []

    async def store_all() -> int:
        pushed.append(await post(apps, body, GITHUB))
        for _ in range(10):
            await post(apps, bomb, GZIPPED)
        return pushed[-1]

    async def exported() -> str:
        return f"/api/export.har?q=id:>={await store_all()}+path:/gh"

    answer, probed, held = await first_read_probed(apps, exported)
    entries = json.loads(answer)["log"]["entries"]
    assert len(entries) == 11
    assert entries[0]["_conformance"] == detail_on_the_loop(apps, pushed[-1])["conformance"]
    assert_unhindered(probed, held)

    async def searched() -> str:
        return f"/api/requests?q=id:>={await store_all()}+body:nowhere"

    answer, probed, held = await first_read_probed(apps, searched)
    assert json.loads(answer)["requests"] == []
    assert_unhindered(probed, held)


async def test_a_websocket_backlog_of_compressed_bodies_leaves_capture_unhindered(
        make_apps: AppsFactory) -> None:
    """The backlog's summaries judge each record on first read, as the listing's do."""
    apps = await spacious(make_apps)
    bomb = invalid_bomb()

    async def read_backlog() -> Measured:
        ids = [await post(apps, bomb, GZIPPED) for _ in range(40)]

        async def backlog() -> bytes:
            # Live probes keep coming: the close handshake waits them out (10 s), not needed.
            async with connect(apps.ws_url(f"?after={ids[0] - 1}"), close_timeout=0.5) as ws:
                messages = [json.loads(await ws.recv()) for _ in range(41)]
            return json.dumps([m["request"]["id"] for m in messages[1:]]).encode()
        return await while_probed(apps, backlog)

    answer, probed, held = await best_of(3, read_backlog, unhindered)
    assert len(json.loads(answer)) == 40
    assert_unhindered(probed, held)

def test_a_view_made_in_steps_reads_as_the_one_made_at_once() -> None:
    """The view's text is decoded a piece at a time: the same text, replacement characters
    included, whatever bytes fall across the pieces' edges."""
    rng = random.Random(24)
    for _ in range(4):
        raw = bytes(rng.choice(b"a\xff\xe2\x82\xac\xf0\x9f\x98\x80\xc3") for _ in range(300_000))
        record = make_capture(body=gzip.compress(raw), headers=[(b"Content-Encoding", b"gzip")])
        view = finish(body_view_steps(record))
        assert view.text == raw.decode("utf-8", "replace")
        assert body_view(record) is view  # kept


def test_folding_through_bytes_is_ascii_folding() -> None:
    """`fold` changes ASCII letters only, whatever else the text holds (lone surrogates too),
    and the text a search folded ahead with a view is that text folded."""
    rng = random.Random(8)
    table = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
    for _ in range(3000):
        text = "".join(chr(rng.choice((rng.randrange(128), rng.randrange(0x110000))))
                       for _ in range(rng.randrange(40)))
        assert fold(text) == text.translate(table), repr(text)
    raw = "Ünïcode ÀB ".encode() * 20_000
    record = make_capture(body=gzip.compress(raw), headers=[(b"Content-Encoding", b"gzip")])
    finish(folded_view_steps(record))
    view = body_view(record)
    assert view.text is not None and is_folded(view.text)
    assert fold(view.text) == view.text.translate(table)


async def test_a_worker_process_that_died_is_replaced(make_apps: AppsFactory) -> None:
    apps = await make_apps(max_body=1024 * 1024)
    body = deviating_push(100)
    first = json.loads(await get(apps, f"/api/requests/{await post(apps, body, GITHUB)}"))
    for pid in list(offload._PROCESS[0]._processes):  # the worker, killed as the OOM killer would
        os.kill(pid, signal.SIGKILL)
    again = json.loads(await get(apps, f"/api/requests/{await post(apps, body, GITHUB)}"))
    assert again["conformance"] == first["conformance"]
    assert first["conformance"]["status"] == "deviates"


def processes_asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The arguments of each call the judge makes in the worker process, from now on."""
    asked: list[tuple[Any, ...]] = []
    real = judged.in_process

    async def counted(*args: Any) -> Any:
        asked.append(args)
        return await real(*args)

    monkeypatch.setattr(judged, "in_process", counted)
    return asked


async def test_a_large_payload_known_to_conform_is_detailed_without_the_worker(
        make_apps: AppsFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its verdict has no finding to copy: made on the loop, as its status was, so that the
    common case never waits for a process to start."""
    asked = processes_asked(monkeypatch)
    examples = json.loads(brotli.decompress(
        (Path(__file__).parent / "data/github_examples.json.br").read_bytes()))["examples"]
    body = json.dumps(examples["pull_request.opened"]).encode()
    assert len(body) > DETAILED_HERE_BYTES
    apps = await make_apps(max_body=1024 * 1024)
    request_id = await post(apps, body, {**GITHUB, "X-GitHub-Event": "pull_request"})
    listed = json.loads(await get(apps, "/api/requests"))["requests"]
    assert [summary["conformance"] for summary in listed] == ["conforms"]
    detail = json.loads(await get(apps, f"/api/requests/{request_id}"))
    assert detail["conformance"]["status"] == "conforms" and asked == []
    deviating = await post(apps, deviating_push(100), GITHUB)
    await get(apps, "/api/requests")
    await get(apps, f"/api/requests/{deviating}")
    assert len(asked) == 1  # a deviating one still goes apart
