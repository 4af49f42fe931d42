"""Ways to read a body: decoded per `Content-Encoding`, and a multipart body's parts.

Pure: bytes and header values in, values out, no I/O. The raw bytes stay what was received;
these are views beside them, each bounded, so that a decompression bomb cannot grow memory
past `cap`.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from mimetypes import MimeTypes
from typing import NamedTuple

import brotli

from .models import HeaderPairs, header_value

DECODED_CAP = 10 * 1024 * 1024
MAX_PARTS = 1000

_ZLIB_WINDOWS = {"gzip": 31, "x-gzip": 31, "deflate": 15}
_NOT_DECODED = {"zstd": "zstd not decoded (no zstd decoder is installed)"}
Decoder = Callable[[bytes, str, int], tuple[bytes, bool, str | None]]


class Decoded(NamedTuple):
    encoding: str  # the Content-Encoding as received
    data: bytes
    truncated: bool  # stopped at the cap
    error: str | None  # what could not be decoded; `data` is what was, up to there


def decode_content(body: bytes, content_encoding: str | None,
                   cap: int = DECODED_CAP) -> Decoded | None:
    """The body with its content codings undone (the last applied first); None when it has
    none (or only `identity`)."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return None
    shown = ", ".join(codings)
    data, truncated = body, False
    for coding in reversed(codings):
        decoder = _DECODERS.get(coding)
        if decoder is None:
            return Decoded(shown, data, truncated,
                           _NOT_DECODED.get(coding, f"{coding[:40]} not decoded (unknown coding)"))
        data, truncated, error = decoder(data, coding, cap)
        if error is not None:
            return Decoded(shown, data, truncated, error)
    return Decoded(shown, data, truncated, None)


def _inflate(data: bytes, coding: str, cap: int) -> tuple[bytes, bool, str | None]:
    """At most `cap` bytes of one zlib-family coding (gzip members may follow each other;
    a `deflate` without its zlib header, as some servers send it, is read raw)."""
    window = _ZLIB_WINDOWS[coding]
    if coding == "deflate" and not _has_zlib_header(data):
        window = -15
    pieces: list[bytes] = []
    size, rest = 0, data
    while rest:
        inflater = zlib.decompressobj(window)
        try:
            piece = inflater.decompress(rest, cap - size + 1)
        except zlib.error as error:
            return b"".join(pieces), False, f"not valid {coding}: {error}"
        pieces.append(piece)
        size += len(piece)
        if size > cap:
            return b"".join(pieces)[:cap], True, None
        if not inflater.eof:
            return b"".join(pieces), False, f"the {coding} stream ends early"
        rest = inflater.unused_data if window == 31 else b""
    return b"".join(pieces), False, None


def _has_zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _unbrotli(data: bytes, coding: str, cap: int) -> tuple[bytes, bool, str | None]:
    """At most `cap` bytes of a br stream (the decompressor's output stops growing there)."""
    decompressor = brotli.Decompressor()
    try:
        out = decompressor.process(data, output_buffer_limit=cap + 1)
    except brotli.error as error:
        return b"", False, f"not valid br: {error}"
    if len(out) > cap or not decompressor.can_accept_more_data():
        return out[:cap], True, None  # more output is waiting: past the cap
    if not decompressor.is_finished():
        return out, False, "the br stream ends early"
    return out, False, None


_DECODERS: dict[str, Decoder] = {**{coding: _inflate for coding in _ZLIB_WINDOWS},
                                 "br": _unbrotli}


# --- multipart --------------------------------------------------------------------------------

class Part(NamedTuple):
    headers: HeaderPairs
    start: int  # the part's body is view[start:end]
    end: int

    @property
    def content_type(self) -> str | None:
        return header_value(self.headers, "content-type")

    def disposition(self, name: str) -> str | None:
        return parameter(header_value(self.headers, "content-disposition") or "", name)


_PARAMETER = re.compile(r';\s*([!#$%&\'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def parameter(header: str, name: str) -> str | None:
    """A parameter of a header value (`boundary` of Content-Type, `name` of
    Content-Disposition), unquoted."""
    for match in _PARAMETER.finditer(header):
        if match.group(1).lower() == name:
            value = match.group(2).strip()
            if value.startswith('"'):
                return re.sub(r"\\(.)", r"\1", value[1:-1])
            return value
    return None


def multipart_parts(body: bytes, content_type: str | None) -> list[Part] | None:
    """The parts of a `multipart/*` body (at most MAX_PARTS), None when it is not one or has
    no usable boundary. A body cut short keeps the parts found up to the cut."""
    if not content_type or not content_type.lower().lstrip().startswith("multipart/"):
        return None
    boundary = parameter(content_type, "boundary")
    if not boundary or len(boundary) > 200:
        return None
    delimiter = b"\r\n--" + boundary.encode("latin-1", "replace")
    view = b"\r\n" + body  # the first delimiter may open the body without a CRLF before it
    position = view.find(delimiter)
    parts: list[Part] = []
    while position >= 0 and len(parts) < MAX_PARTS:
        line_end = view.find(b"\r\n", position + len(delimiter))
        if view[position + len(delimiter):position + len(delimiter) + 2] == b"--" \
                or line_end < 0:
            break  # the close delimiter, or nothing after the last one
        head_end = view.find(b"\r\n\r\n", line_end)
        following = view.find(delimiter, line_end)
        if following < 0:
            break
        if head_end < 0 or head_end > following:  # a part without headers
            start, headers = line_end + 2, b""
        else:
            start, headers = head_end + 4, view[line_end + 2:head_end + 2]
        parts.append(Part(_part_headers(headers), start - 2, following - 2))
        position = following
    return parts


def _part_headers(block: bytes) -> HeaderPairs:
    """A part's header lines (`Name:value`, the space optional), as text."""
    pairs = []
    for line in block.split(b"\r\n"):
        name, colon, value = line.partition(b":")
        if colon:
            pairs.append((name.strip().decode("latin-1"),
                          value.strip().decode("utf-8", "replace")))
    return tuple(pairs)


def readable(body: bytes, headers: HeaderPairs) -> tuple[Decoded | None, bytes]:
    """The body decoded per its Content-Encoding, and the bytes its parts are read from: the
    decoded ones when decoding went through to the end, else the raw ones."""
    decoded = decode_content(body, header_value(headers, "content-encoding"))
    whole = decoded is not None and decoded.error is None and not decoded.truncated
    return decoded, decoded.data if whole and decoded is not None else body


# --- downloads --------------------------------------------------------------------------------

_TYPES = MimeTypes()  # the built-in table only: the same names on every machine


def download_name(stem: str, content_type: str | None) -> str:
    """`request-12.json` for JSON, `.bin` when the type is unknown."""
    essence = (content_type or "").split(";")[0].strip().lower()
    if essence.endswith("+json"):
        return f"{stem}.json"
    if essence.endswith("+xml"):
        return f"{stem}.xml"
    return stem + (_TYPES.guess_extension(essence) or ".bin") if essence else f"{stem}.bin"
