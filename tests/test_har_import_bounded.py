"""A HAR import is read one entry at a time beside capture (SPEC 3): a 30 MiB document of junk
costs the server a bounded amount of memory, capture keeps answering, and a document that is
refused changes nothing. Every chunking of a document reads as the whole does."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re
import subprocess
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from inspector.har_import import HarReader, Limits, entry_chars
from inspector.har_stream import MAX_MEMBERS
from inspector.har_text import HarError
from inspector.json_values import LONG, MAX_TOKENS
from inspector.steps import finish

from .busy import while_busy
from .cli_process import command
from .conftest import AppsFactory
from .hostile_inputs import MIB, har_entry, har_with_junk_entries, har_with_junk_pages

JUNK_MIB = 30


async def import_command(har: Path, ui_url: str) -> tuple[int, str]:
    """`webhook-inspector import FILE`, a process of its own (so that sending the document is
    no work of the server's loop)."""
    process = await asyncio.create_subprocess_exec(
        *command("import", str(har), "--ui", ui_url), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    _, stderr = await process.communicate()
    return process.returncode or 0, stderr.decode()


def peak_rss_kib_since(reset: bool = False) -> int:
    """This process's peak resident memory (VmHWM), first set back to what is resident now."""
    if reset:
        Path("/proc/self/clear_refs").write_text("5")
    found = re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())
    assert found is not None
    return int(found.group(1))


@pytest.mark.parametrize(("parts", "refusal"), [
    (lambda: har_with_junk_entries(201, JUNK_MIB * MIB),
     "log.entries: more than 200 entries exceed --max-requests 200"),
    (lambda: har_with_junk_pages(JUNK_MIB * MIB), f"log.pages: more than {MAX_TOKENS} JSON values"),
], ids=["entries of junk", "pages of junk"])
async def test_a_30_mib_junk_document_is_refused_in_bounded_memory_beside_capture(
        make_apps: AppsFactory, tmp_path: Path, parts: Callable[[], Iterator[bytes]],
        refusal: str) -> None:
    apps = await make_apps(max_requests=200, max_bytes=32 * MIB)
    har = tmp_path / "junk.har"
    with har.open("wb") as file:
        file.writelines(parts())
    assert har.stat().st_size >= JUNK_MIB * MIB * 0.98
    ui_url = str(apps.ui.make_url("")).rstrip("/")
    before = peak_rss_kib_since(reset=True)
    busy = await while_busy(apps.inspector.hook_url, lambda: import_command(har, ui_url),
                            busy_s=0)
    growth_mib = (peak_rss_kib_since() - before) / 1024
    busy.assert_unhindered()
    assert busy.result == (2, f"webhook-inspector: import: the inspector refused it: {refusal}\n")
    # Before, the document was parsed whole: +590-600 MiB. Now one entry at a time: 0-6 MiB.
    assert growth_mib < 24, f"the server grew by {growth_mib:.0f} MiB"
    assert not (await (await apps.ui.get("/api/requests?q=path:/junk/")).json())["requests"]


async def test_a_large_entry_is_refused_as_too_large(make_apps: AppsFactory) -> None:
    apps = await make_apps(max_body=1024)
    big = b'{"log": {"entries": [{"x": "' + b"y" * entry_chars(1024) + b'"}]}}'
    response = await apps.ui.post("/api/import", data=io.BytesIO(big))
    assert response.status == 400
    assert (await response.json())["error"] == \
        f"log.entries[0]: more than {entry_chars(1024)} characters of JSON"


def read(document: bytes, cuts: list[int], limits: Limits) -> list[Any]:
    reader, found, start = HarReader(limits), [], 0
    for cut in [*cuts, len(document)]:
        found += finish(reader.feed(document[start:cut]))
        start = cut
    return found + finish(reader.finish())


LIMITS = Limits(max_body=4096, max_requests=10, max_bytes=MIB, max_document=8 * MIB)


@pytest.mark.parametrize("document", [
    b'\xef\xbb\xbf {"x": [1, {"y": "]}\\""}], "log" : {"pages": [], "entries": [' + har_entry(1) +
    b" , " + har_entry(2) + b'], "z": null} } \r\n',
    zlib.compress(b'{"log": {"entries": [' + har_entry(3) + b"]}}"),
])
def test_every_chunking_reads_as_the_whole_does(document: bytes) -> None:
    whole = read(document, [], LIMITS)
    assert [imported.arrival.path for imported in whole] in (["/junk/1", "/junk/2"],
                                                             ["/junk/3"])
    for size in (1, 2, 3, 7, 64):
        assert read(document, list(range(size, len(document), size)), LIMITS) == whole


@pytest.mark.parametrize(("document", "fault"), [
    (b'{"log": {"entries": [' + har_entry(1) + b",]}}", "invalid JSON in log.entries[1]"),
    (b'{"log": {"entries": []}, "log": {"entries": []}}', 'log: given twice'),
    (b'{"log": {"entries": [], "entries": []}}', "log.entries: given twice"),
    (b'{"log": {"entries": []}} {}', "more after the document's end"),
    (b'{"log": {"entries": [' + har_entry(1), "the document ends early"),
    (b"{" + b", ".join(b'"k%d": 1' % n for n in range(MAX_MEMBERS + 1)) + b"}",
     f"the document: more than {MAX_MEMBERS} members"),
    (b'{"log": {"entries": [' + b"[" * 2000 + b"]" * 2000 + b"]}}", "nested too deeply"),
    (b'{"log": {"entries": "' + b"\xff" + b'"}}', "byte 21 is not UTF-8"),
])
def test_what_is_refused_is_said(document: bytes, fault: str) -> None:
    with pytest.raises(HarError) as refused:
        read(document, list(range(5, len(document), 5)), LIMITS)
    assert fault in str(refused.value)


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_a_long_body_is_decoded_apart_as_the_whole_would_be(ensure_ascii: bool) -> None:
    """A string longer than json_values.LONG is decoded a piece at a time: escapes, and
    surrogate pairs written as two escapes, fall across the pieces' edges."""
    text = "é😀\"\\\n\u2028x/" * 100_000
    binary = bytes(range(256)) * 3000
    entries = [{"startedDateTime": "2026-12-06T10:00:00Z", "_answer": text,
                "request": {"method": "POST", "url": "http://x/long", "headers": [],
                            "postData": post}}
               for post in ({"text": text}, {"text": base64.b64encode(binary).decode(),
                                             "encoding": "base64"})]
    document = json.dumps({"log": {"entries": entries}}, ensure_ascii=ensure_ascii).encode()
    assert len(text) > LONG
    limits = LIMITS._replace(max_body=4 * MIB, max_bytes=8 * MIB, max_document=32 * MIB)
    for cuts in ([], list(range(99_991, len(document), 99_991))):
        found = read(document, cuts, limits)
        assert [imported.arrival.body for imported in found] == [text.encode(), binary]
