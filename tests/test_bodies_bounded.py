"""Reading a hostile body is linear and bounded, and capture keeps answering meanwhile (SPEC 3):
many gzip members, a multipart body whose parts have no blank line, too many codings; the
detail of such a body fetched while a separate process probes the hooks listener."""

from __future__ import annotations

import base64
import gzip
import json
import time

import pytest

from inspector import pieces
from inspector.bodies import MAX_CODINGS, PART_HEAD_BYTES, decode_content, multipart_parts
from inspector.pieces import Rope
from inspector.steps import finish

from .busy import while_busy
from .conftest import Apps, AppsFactory
from .hostile_inputs import MIB, gzip_members_body, multipart_without_blank_lines


def test_many_gzip_members_decode_in_linear_time() -> None:
    started = time.perf_counter()
    decoded = finish(decode_content(gzip_members_body(), "gzip, gzip"))
    assert decoded is not None
    assert (bytes(decoded.data), decoded.truncated, decoded.error) == (b"", False, None)
    assert time.perf_counter() - started < 5  # before: 11-40 s (each member copied the rest)


def test_parts_without_blank_lines_split_in_linear_time() -> None:
    body = multipart_without_blank_lines()
    started = time.perf_counter()
    parts = finish(multipart_parts(Rope([body]), "multipart/form-data; boundary=b"))
    assert time.perf_counter() - started < 2  # before: 9-15 s (each part searched to the end)
    assert parts is not None and len(parts) == 1000
    assert all(part.headers == () and part.end - part.start == 10 * MIB // 1000 - 7
               for part in parts)


def test_what_a_part_and_a_coding_may_cost_is_capped() -> None:
    line = b"h: %010d\r\n"  # 15 bytes
    fits = (PART_HEAD_BYTES - 4) // len(line % 0)
    heads = [b"".join(line % n for n in range(count)) for count in (fits + 1, fits)]
    many = b"--b\r\n" + b"\r\nbody\r\n--b\r\n".join(heads) + b"\r\nbody\r\n--b--"
    parts = finish(multipart_parts(Rope([many]), "multipart/mixed; boundary=b"))
    assert parts is not None and [len(part.headers) for part in parts] == [0, fits]
    assert many[parts[0].start:parts[0].end] == heads[0] + b"\r\nbody"  # a head too long
    assert many[parts[1].start:parts[1].end] == b"body"
    empty = finish(multipart_parts(Rope([b"--b\r\n--b\r\nA: 1\r\n\r\n--b--"]),
                                   "multipart/mixed; boundary=b"))
    assert empty is not None and [p.end - p.start for p in empty] == [0, 0]  # never negative
    layered = b"{}"
    for _ in range(MAX_CODINGS + 1):
        layered = gzip.compress(layered)
    decoded = finish(decode_content(layered, ", ".join(["gzip"] * (MAX_CODINGS + 1))))
    assert decoded is not None and bytes(decoded.data) == layered
    assert decoded.error == f"{MAX_CODINGS + 1} content codings: at most {MAX_CODINGS} are decoded"


@pytest.mark.parametrize("size", [0, 5, pieces.PIECE, 3 * pieces.PIECE + 7])
def test_pieces_give_what_one_call_gives(size: int) -> None:
    data = (b"\xc3\x9c" * size)[:size]  # Ü, cut in the middle of one at odd sizes
    for rope in (Rope([data]), Rope([data[:size // 3], data[size // 3:]])):
        assert "".join(finish(pieces.base64_text(rope))) == base64.b64encode(data).decode()
        try:
            assert "".join(finish(pieces.utf8_text(rope))) == data.decode()
        except UnicodeDecodeError:
            assert size % 2
    value = {"a": [1, None, True, 2.5, "é\u2028\ud800"], "text": "Ü\"\\\n" * size}
    written = b"".join(finish(pieces.json_pieces({**value, "pieces": pieces.Text(["a", "é"])})))
    assert written == json.dumps({**value, "pieces": "aé"}).encode()


def test_a_rope_finds_what_its_bytes_find() -> None:
    sought = b"\r\n--boundary"
    at = pieces.PIECE - 3  # straddling a window's end, then a piece's
    whole = b"\r" * at + sought + b"\r" * 100 + sought + b"x"
    for rope in (Rope([whole]), Rope([whole[:at + 5], whole[at + 5:at + 120], whole[at + 120:]])):
        for start, end in [(0, len(whole)), (at + 1, len(whole)), (0, at + len(sought) - 1),
                           (at + 1, len(whole) - 2), (5, 3)]:
            assert finish(rope.find(sought, start, end)) == whole.find(sought, start, end)
        assert rope.slice(at - 2, at + 130) == whole[at - 2:at + 130] and bytes(rope) == whole


async def detail(apps: Apps, request_id: int) -> bytes:
    """The detail's bytes, read a piece at a time (joined in one go, 10 MiB would be this
    test's own hold of the loop)."""
    response = await apps.ui.get(f"/api/requests/{request_id}")
    assert response.status == 200
    return b"".join([piece async for piece in response.content.iter_any()])


async def posted(apps: Apps, body: bytes, headers: dict[str, str]) -> int:
    answer = await apps.hooks.post("/hostile", data=body, headers=headers)
    return int((await answer.json())["id"])


@pytest.fixture
async def roomy(make_apps: AppsFactory) -> Apps:
    return await make_apps(max_requests=5000, max_bytes=64 * MIB)


async def test_capture_answers_while_many_gzip_members_are_decoded(roomy: Apps) -> None:
    request_id = await posted(roomy, gzip_members_body(), {"Content-Encoding": "gzip, gzip"})
    busy = await while_busy(roomy.inspector.hook_url, lambda: detail(roomy, request_id))
    busy.assert_unhindered()
    assert json.loads(busy.result)["decoded"] == {
        "encoding": "gzip, gzip", "size": 0, "truncated": False, "error": None, "body_text": ""}


async def test_capture_answers_while_a_10_mib_multipart_is_split(roomy: Apps) -> None:
    body = multipart_without_blank_lines()
    request_id = await posted(roomy, gzip.compress(body), {
        "Content-Encoding": "gzip", "Content-Type": "multipart/form-data; boundary=b"})
    busy = await while_busy(roomy.inspector.hook_url, lambda: detail(roomy, request_id))
    busy.assert_unhindered()
    shown = json.loads(busy.result)
    assert shown["decoded"]["size"] == len(body) and shown["decoded"]["body_text"] == \
        body.decode()
    assert len(shown["parts"]) == 1000 and shown["parts"][999]["size"] == 10 * MIB // 1000 - 7
