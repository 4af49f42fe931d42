"""The hostile inputs of the first trust issue of round three (issue 22, item 1) and of its
continuation (issue 28, item 1), built the same way for the tests and for
`bench/capture_while_busy.py`."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

MIB = 1024 * 1024
REDOS_BODY = b"a" * 26 + b"!"
REDOS_QUERY = "body:/(a+)+$/"


def gzip_members_body(members: int = 200_000) -> bytes:
    """9.7 KB on the wire: empty gzip members, gzip'd again (`Content-Encoding: gzip, gzip`)."""
    return gzip.compress(gzip.compress(b"", mtime=0) * members, compresslevel=9, mtime=0)


def multipart_without_blank_lines(size: int = 10 * MIB, parts: int = 1000) -> bytes:
    """`size` bytes of `parts` parts (boundary `b`), none of which has a blank line, so that
    no part has headers; send it gzip'd to stay under --max-body."""
    part = b"x" * (size // parts - 7)
    return b"--b\r\n" + part + b"".join(b"\r\n--b\r\n" + part for _ in range(parts - 1)) + \
        b"\r\n--b--\r\n"


def har_entry(n: int, junk: int = 0) -> bytes:
    """One valid HAR entry (a POST to /junk/N), carrying `junk` empty objects in a field no
    importer reads."""
    return json.dumps({"startedDateTime": "2026-12-06T10:00:00Z", "_junk": "@",
                       "request": {"method": "POST", "url": f"http://x/junk/{n}", "headers": [],
                                   "postData": {"text": "{}"}}}).encode().replace(
        b'"@"', b"[" + b"{}, " * junk + b"{}]")


def har_with_junk_entries(entries: int, size: int) -> Iterator[bytes]:
    """About `size` bytes that must all be read: `entries` valid entries (make it one more than
    --max-requests) sharing `size` bytes of empty objects."""
    junk = size // entries // 4
    yield b'{"log": {"version": "1.2", "entries": ['
    for n in range(entries):
        yield (b", " if n else b"") + har_entry(n, junk)
    yield b"]}}"


def har_with_junk_pages(size: int) -> Iterator[bytes]:
    """`size` bytes of empty objects where an importer needs nothing (log.pages)."""
    yield b'{"log": {"pages": ['
    for _ in range(size // MIB):
        yield b"{}, " * (MIB // 4)
    yield b'{}], "entries": []}}'


def discovery_heavy_headers(each: int = 30) -> list[tuple[str, str]]:
    """A `bondio-signature` (whose secret, configured, is checked by discovery) and `each`
    timestamps, ids and signature-like hex values beside it: 3 x 30 made discovery cubic."""
    return [("bondio-signature", "a" * 64),
            *[(f"x-time-{n}", "1700000000") for n in range(each)],
            *[(f"x-{n}-id", f"evt_{n:08d}") for n in range(each)],
            *[(f"x-sig-{n}", f"{n:02x}" * 32) for n in range(each)]]
