"""Records of the kinds a history holds, as `tests/data/session10_history.db` holds them: that
file was written by session 10's code (main at c7c415d, SQLite `user_version` 2), with the
documents of its codec, by running this module with that tree first on the path:

    PYTHONPATH=<c7c415d tree> python tests/former_records.py tests/data/session10_history.db

It imports nothing of the tests, so that the tree on the path is the one that writes."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from inspector.captured import CapturedRequest
from inspector.models import HeaderShown, Replay, ResponseRecord, Verdict

SIGNED = (b"Host: 127.0.0.1:9000\r\nContent-Type: application/json\r\n"
          b"X-Bondify-Signature: 9abd51c3f4e2b70c1d2e3f405162738495a6b7c8"
          b"d9e0f1a2b3c4d5e6f7a8b9c0\r\n")
JSON = (("Content-Type", "application/json"),)


def former_records() -> list[tuple[CapturedRequest, str | None]]:
    """Each with its dedupe key: a verified one answered by default (a shared verdict, a
    numbered answer), its duplicate, an invalid one forwarded, one replayed and routed, and
    one with floats in an exponent, text past ASCII and an error."""
    shown = HeaderShown("bondify", "valid", "X-Bondify-Signature matches HMAC-SHA256 of the raw "
                        "body", "X-Bondify-Signature", "", "", None)
    answer = ResponseRecord(200, JSON, b"", 1.252889633178711, "inspector")
    verified = CapturedRequest(1, 1765000000.123456, "POST", "/webhooks/bondify", "", "HTTP/1.1",
                               "127.0.0.1", SIGNED, b'{"event":"auth.confirmed"}', 26, b"",
                               provider="bondify", event="auth.confirmed", signatures=(shown,),
                               response=answer, numbered=True)
    duplicate = verified._replace(id=2, received_at=1765000000.5, duplicate_of=1)
    invalid = CapturedRequest(
        3, 1765000001.0, "POST", "/webhooks/github", "a=1&b=%C3%A9", "HTTP/1.1", "::1",
        b"X-Hub-Signature-256: sha256=00ff\r\nX-GitHub-Event: push\r\n", b'{"ref":"main"}', 14,
        b"", provider="github", event="push", delivery_id="d-3",
        signatures=(Verdict("github", "invalid", "mismatch", "X-Hub-Signature-256",
                            "sha256=00ff", "sha256=abcd\u2026", 0.25, False),),
        response=ResponseRecord(502, JSON, b'{"error": "upstream"}', 30.000000000000004,
                                "forward"))
    replay = Replay(at=1765000100.75, target="http://127.0.0.1:9/x", method="POST", status=200,
                    headers=JSON, body=b"ok", duration_ms=0.1, error=None,
                    request_headers=(("X-A", "1"),), request_body=b"{}", edited=True,
                    resigned=False, note="again")
    replayed = CapturedRequest(4, 1765000002.2, "PUT", "/hooks/caf\u00e9", "", "HTTP/1.1", None,
                               b"X-A: b\r\n", b"\xff\x00", 2, b"", replays=(replay,),
                               route=(0, "copy"), mirrored=(replay,), held="delivered")
    odd = CapturedRequest(5, 1e16, "POST", "/\u2603", "q=\u00e9", "HTTP/1.0", "127.0.0.1",
                          b"", b"x" * 10, 4096, b"X-Trailer: 1\r\n", error="body cut at 10",
                          response=ResponseRecord(200, (), b"", 1e-07, "inspector"))
    return [(verified, "bondify:1"), (duplicate, None), (invalid, "github:d-3"),
            (replayed, None), (odd, None)]


async def write(path: Path) -> None:
    from inspector.store.sqlite import SqliteStore

    store = SqliteStore(path, 1000, 10**9, asyncio.get_running_loop())
    for record, key in former_records():
        assert store.next_id() == record.id
        store.add(record, key)
    waiter = store.durable()
    assert waiter is not None
    await waiter
    await store.close()


if __name__ == "__main__":
    asyncio.run(write(Path(sys.argv[1])))
