"""Every body readable: decoded per Content-Encoding (bounded), multipart parts listed and
downloadable, downloads named after their content type."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import brotli
import pytest

from inspector.bodies import decode_content, download_name, multipart_parts, parameter
from inspector.pieces import Rope
from inspector.steps import finish

from .conftest import Apps

TEXT = b'{"event": "auth.confirmed", "note": "\xc3\x9cber"}'


@pytest.mark.parametrize(("coding", "encoded"), [
    ("gzip", gzip.compress(TEXT)),
    ("x-gzip", gzip.compress(TEXT)),
    ("deflate", zlib.compress(TEXT)),
    ("deflate", zlib.compress(TEXT)[2:-4]),  # raw deflate, as some servers send it
    ("gzip", gzip.compress(TEXT[:10]) + gzip.compress(TEXT[10:])),  # two gzip members
    ("deflate, gzip", gzip.compress(zlib.compress(TEXT))),  # the last applied is undone first
    ("identity, GZIP", gzip.compress(TEXT)),
    ("br", brotli.compress(TEXT)),
    ("br, gzip", gzip.compress(brotli.compress(TEXT))),
])
def test_decoded_per_content_encoding(coding: str, encoded: bytes) -> None:
    decoded = finish(decode_content(encoded, coding))
    assert decoded is not None
    assert (bytes(decoded.data), decoded.truncated, decoded.error) == (TEXT, False, None)


def test_no_coding_is_no_view() -> None:
    assert finish(decode_content(TEXT, None)) is None
    assert finish(decode_content(TEXT, "identity")) is None
    assert finish(decode_content(TEXT, " , ")) is None


@pytest.mark.parametrize(("coding", "encoded", "error"), [
    ("br", b"not brotli at all", "not valid br"),
    ("br", brotli.compress(TEXT * 50)[:-3], "the br stream ends early"),
    ("zstd", b"(\xb5/\xfd", "zstd not decoded"),
    ("compress", b"\x1f\x9d", "compress not decoded (unknown coding)"),
    ("gzip", b"not gzip at all", "not valid gzip: Error -3"),
    ("gzip", gzip.compress(TEXT)[:20], "the gzip stream ends early"),
])
def test_what_cannot_be_decoded_is_said(coding: str, encoded: bytes, error: str) -> None:
    decoded = finish(decode_content(encoded, coding))
    assert decoded is not None and decoded.error is not None
    assert decoded.error.startswith(error)
    assert "Traceback" not in decoded.error


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_decompression_bomb_stops_at_the_cap_without_growing_memory(coding: str) -> None:
    zeros = b"\x00" * (200 * 1024 * 1024)  # 200 MiB in ~200 KB (gzip) or a few bytes (br)
    bomb = gzip.compress(zeros, compresslevel=9) if coding == "gzip" else brotli.compress(zeros)
    del zeros
    cap = 4 * 1024 * 1024
    tracemalloc.start()
    decoded = finish(decode_content(bomb, coding, cap))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert decoded is not None and decoded.truncated and decoded.error is None
    assert len(decoded.data) == cap
    assert peak < 3 * cap, peak


BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
MULTIPART = (
    b"preamble to ignore\r\n"
    b"------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
    b'Content-Disposition: form-data; name="options"\r\n\r\n'
    b'{"a": 1}\r\n'
    b"------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
    b'Content-Disposition:form-data; name="file"; filename="pic \\"1\\".png"\r\n'
    b"Content-Type: image/png\r\n\r\n"
    b"\x89PNG\r\n\x1a\n\x00\x01\r\n"
    b"------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
    b"\r\n"
    b"no headers\r\n"
    b"------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n"
    b"epilogue"
)
MULTIPART_TYPE = f'multipart/form-data; boundary="{BOUNDARY}"'


def test_multipart_parts_with_their_headers_and_bytes() -> None:
    parts = finish(multipart_parts(Rope([MULTIPART]), MULTIPART_TYPE))
    assert parts is not None
    assert [MULTIPART[p.start:p.end] for p in parts] == \
        [b'{"a": 1}', b"\x89PNG\r\n\x1a\n\x00\x01", b"no headers"]
    assert [p.disposition("name") for p in parts] == ["options", "file", None]
    assert parts[1].disposition("filename") == 'pic "1".png'
    assert parts[1].content_type == "image/png" and parts[2].headers == ()


@pytest.mark.parametrize(("body", "content_type", "count"), [
    (MULTIPART, "application/json", None),
    (MULTIPART, "multipart/form-data", None),  # no boundary
    (MULTIPART[:175], MULTIPART_TYPE, 1),  # cut short: the parts up to the cut
    (b"--b\r\n\r\nfirst line", "multipart/mixed; boundary=b", 0),
    (b"", "multipart/mixed; boundary=b", 0),
    (b"--b\r\n\r\n" * 5000, "multipart/mixed; boundary=b", 1000),
])
def test_multipart_edges(body: bytes, content_type: str, count: int | None) -> None:
    parts = finish(multipart_parts(Rope([body]), content_type))
    assert (None if parts is None else len(parts)) == count


def test_parameters_and_download_names() -> None:
    assert parameter('form-data; name="a;b"; filename=x.txt', "filename") == "x.txt"
    assert parameter('form-data; name="a;b"', "name") == "a;b"
    assert download_name("request-12", "application/json; charset=utf-8") == "request-12.json"
    assert download_name("request-12", "application/vnd.api+json") == "request-12.json"
    assert download_name("request-12", "image/png") == "request-12.png"
    assert download_name("request-12", "text/plain") == "request-12.txt"
    assert download_name("request-12", "application/x-made-up") == "request-12.bin"
    assert download_name("request-12", None) == "request-12.bin"


async def test_detail_shows_the_decoded_body_beside_the_raw_one(apps: Apps) -> None:
    await apps.hooks.post("/z", data=gzip.compress(TEXT),
                          headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
    await apps.hooks.post("/plain", data=TEXT)
    detail = await (await apps.ui.get("/api/requests/1")).json()
    assert detail["body_text"] is None and detail["body_base64"]  # the raw bytes, untouched
    assert detail["decoded"] == {"encoding": "gzip", "size": len(TEXT), "truncated": False,
                                 "error": None, "body_text": TEXT.decode()}
    assert detail["parts"] is None
    plain = await (await apps.ui.get("/api/requests/2")).json()
    assert plain["decoded"] is None and plain["parts"] is None


async def test_a_bomb_through_the_hooks_listener_is_shown_truncated(apps: Apps) -> None:
    bomb = gzip.compress(b"A" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 256 * 1024  # under the test apps' --max-body
    await apps.hooks.post("/bomb", data=bomb, headers={"Content-Encoding": "gzip"})
    decoded = (await (await apps.ui.get("/api/requests/1")).json())["decoded"]
    assert decoded["truncated"] is True and decoded["size"] == 10 * 1024 * 1024


async def test_multipart_parts_are_listed_and_downloadable(apps: Apps) -> None:
    await apps.hooks.post("/upload", data=MULTIPART, headers={"Content-Type": MULTIPART_TYPE})
    detail = await (await apps.ui.get("/api/requests/1")).json()
    parts = detail["parts"]
    assert [(p["index"], p["name"], p["filename"], p["content_type"], p["size"])
            for p in parts] == [(0, "options", None, None, 8),
                                (1, "file", 'pic "1".png', "image/png", 10),
                                (2, None, None, None, 10)]
    assert parts[1]["headers"][1] == ["Content-Type", "image/png"]
    image = await apps.ui.get(parts[1]["url"])
    assert image.status == 200 and await image.read() == b"\x89PNG\r\n\x1a\n\x00\x01"
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["Content-Disposition"] == 'attachment; filename="request-1-part-1.png"'
    assert image.headers["Content-Security-Policy"].startswith("sandbox")
    text = await apps.ui.get("/api/requests/1/parts/0")
    assert text.headers["Content-Type"] == "application/octet-stream"
    assert text.headers["Content-Disposition"].endswith('request-1-part-0.bin"')
    missing = await apps.ui.get("/api/requests/1/parts/3")
    assert missing.status == 404 and "3 part(s)" in (await missing.json())["error"]
    await apps.hooks.post("/not-multipart", data=b"{}")
    assert (await apps.ui.get("/api/requests/2/parts/0")).status == 404
    assert (await apps.ui.get("/api/requests/99/parts/0")).status == 404


async def test_gzipped_multipart_parts_are_read_from_the_decoded_body(apps: Apps) -> None:
    await apps.hooks.post("/upload", data=gzip.compress(MULTIPART), headers={
        "Content-Type": MULTIPART_TYPE, "Content-Encoding": "gzip"})
    part = await apps.ui.get("/api/requests/1/parts/2")
    assert await part.read() == b"no headers"


async def test_raw_is_named_after_its_content_type(apps: Apps) -> None:
    await apps.hooks.post("/j", data=b"{}", headers={"Content-Type": "application/json"})
    await apps.hooks.post("/b", data=b"\x00", headers={"Content-Type": "application/x-unknown"})
    first = await apps.ui.get("/api/requests/1/raw")
    assert first.headers["Content-Disposition"] == 'attachment; filename="request-1.json"'
    assert first.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    second = await apps.ui.get("/api/requests/2/raw")
    assert second.headers["Content-Disposition"] == 'attachment; filename="request-2.bin"'
