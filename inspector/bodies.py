"""Ways to read a body: decoded per `Content-Encoding`, and a multipart body's parts.

Pure: bytes and header values in, values out, no I/O. The raw bytes stay what was received;
these are views beside them, each bounded, so that a decompression bomb cannot grow memory
past `cap`, and linear in the input. Each is a job of steps (`steps.py`) that the inspector
runs in slices beside capture.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from mimetypes import MimeTypes
from typing import NamedTuple

import brotli

from .models import HeaderPairs, header_value
from .pieces import PIECE, Rope
from .steps import Steps

DECODED_CAP = 10 * 1024 * 1024
MAX_CODINGS = 4
MAX_PARTS = 1000
PART_HEAD_BYTES = 16 * 1024

_ZLIB_WINDOWS = {"gzip": 31, "x-gzip": 31, "deflate": 15}
_NOT_DECODED = {"zstd": "zstd not decoded (no zstd decoder is installed)"}
Decoding = tuple[Rope, bool, str | None]
Decoder = Callable[[Rope, str, int], Steps[Decoding]]


class Decoded(NamedTuple):
    encoding: str  # the Content-Encoding as received
    data: Rope
    truncated: bool  # stopped at the cap
    error: str | None  # what could not be decoded; `data` is what was, up to there


def decode_content(body: bytes, content_encoding: str | None,
                   cap: int = DECODED_CAP) -> Steps[Decoded | None]:
    """The body with its content codings undone (the last applied first); None when it has
    none (or only `identity`)."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return None
    shown, data, truncated = ", ".join(codings), Rope([body]), False
    if len(codings) > MAX_CODINGS:  # every layer may be as large as the cap
        return Decoded(shown, data, False, f"{len(codings)} content codings: at most "
                                           f"{MAX_CODINGS} are decoded")
    for coding in reversed(codings):
        decoder = _DECODERS.get(coding)
        if decoder is None:
            return Decoded(shown, data, truncated,
                           _NOT_DECODED.get(coding, f"{coding[:40]} not decoded (unknown coding)"))
        data, truncated, error = yield from decoder(data, coding, cap)
        if error is not None:
            return Decoded(shown, data, truncated, error)
    return Decoded(shown, data, truncated, None)


def _inflate(data: Rope, coding: str, cap: int) -> Steps[Decoding]:
    """At most `cap` bytes of one zlib-family coding (gzip members may follow each other;
    a `deflate` without its zlib header, as some servers send it, is read raw)."""
    window = _ZLIB_WINDOWS[coding]
    if coding == "deflate" and not has_zlib_header(data.slice(0, 2)):
        window = -15
    out, offset = _Output(cap), 0
    while offset < len(data):
        try:
            used = yield from _inflate_member(window, data, offset, out)
        except zlib.error as error:
            return out.result(f"not valid {coding}: {error}")
        if out.over:
            return out.result()
        if used is None:
            return out.result(f"the {coding} stream ends early")
        offset = offset + used if window == 31 else len(data)
    return out.result()


def _inflate_member(window: int, data: Rope, offset: int, out: _Output) -> Steps[int | None]:
    """One gzip member (or the whole stream) from `offset` into `out`: how many input bytes it
    took, None when the input ends first. The input goes in windows that double from 64
    bytes, so what zlib copies into `unused_data` at a member's end is about that member's
    size (handing it the whole rest was quadratic in the number of members); each call makes
    at most PIECE bytes, so none holds the interpreter for long."""
    inflater = zlib.decompressobj(window)
    pending: bytes | memoryview = data.view(offset, 64)
    given, step = offset + len(pending), 128
    while True:
        limit = min(PIECE, out.room + 1)
        piece = inflater.decompress(pending, limit)
        out.add(piece)
        yield
        if out.over or inflater.eof:
            return given - offset - len(inflater.unused_data)
        pending = inflater.unconsumed_tail
        if not pending and len(piece) < limit:  # it wants more input
            if given == len(data):
                return None
            pending = data.view(given, step)
            given, step = given + len(pending), min(2 * step, PIECE)


def has_zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _unbrotli(data: Rope, coding: str, cap: int) -> Steps[Decoding]:
    """At most `cap` bytes of a br stream, made PIECE bytes per call."""
    decompressor, out = brotli.Decompressor(), _Output(cap)
    try:
        for window in data.windows():
            out.add(decompressor.process(window, output_buffer_limit=min(PIECE, out.room + 1)))
            while not out.over and not decompressor.can_accept_more_data():
                yield
                out.add(decompressor.process(b"", output_buffer_limit=min(PIECE, out.room + 1)))
            if out.over:
                return out.result()
            yield
    except brotli.error as error:
        return Rope(), False, f"not valid br: {error}"
    if not decompressor.is_finished():
        return out.result("the br stream ends early")
    return out.result()


class _Output:
    """What a decoder made so far, up to `cap` bytes, and whether it had more."""

    def __init__(self, cap: int) -> None:
        self.data = Rope()
        self.room = cap
        self.over = False

    def add(self, piece: bytes) -> None:
        if len(piece) > self.room:
            self.over, piece = True, piece[:self.room]
        self.data.append(piece)
        self.room -= len(piece)

    def result(self, error: str | None = None) -> Decoding:
        return self.data, self.over, error


_DECODERS: dict[str, Decoder] = {**{coding: _inflate for coding in _ZLIB_WINDOWS},
                                 "br": _unbrotli}


# --- multipart --------------------------------------------------------------------------------

class Part(NamedTuple):
    headers: HeaderPairs
    start: int  # the part is body[start:end], of the body it was found in
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


def multipart_parts(body: Rope, content_type: str | None) -> Steps[list[Part] | None]:
    """The parts of a `multipart/*` body (at most MAX_PARTS), None when it is not one or has
    no usable boundary. A body cut short keeps the parts found up to the cut."""
    if not content_type or not content_type.lower().lstrip().startswith("multipart/"):
        return None
    boundary = parameter(content_type, "boundary")
    if not boundary or len(boundary) > 200:
        return None
    delimiter = b"\r\n--" + boundary.encode("latin-1", "replace")
    # Offsets are the body's; the first delimiter may open it without the CRLF before it (-2).
    opening = delimiter[2:]
    position = -2 if body.slice(0, len(opening)) == opening else \
        (yield from body.find(delimiter, 0, len(body)))
    parts: list[Part] = []
    while position != -1 and len(parts) < MAX_PARTS:
        after = position + len(delimiter)
        following = yield from body.find(delimiter, after, len(body))
        if body.slice(after, after + 2) == b"--" or following < 0:
            break  # the close delimiter, or nothing after the last one
        line_end = yield from body.find(b"\r\n", after, following + 2)
        parts.append((yield from _part(body, line_end, following)))
        position = following
    return parts


def _part(body: Rope, line_end: int, following: int) -> Steps[Part]:
    """The part from the end of its delimiter's line to the next delimiter. Its headers end at
    the first blank line within PART_HEAD_BYTES; every search stops at the next delimiter
    (searching to the end of the body from each part was quadratic)."""
    head_end = yield from body.find(b"\r\n\r\n", line_end,
                                    min(following + 2, line_end + PART_HEAD_BYTES))
    if head_end < 0:  # a part without headers
        return Part((), min(line_end + 2, following), following)
    return Part(_part_headers(body.slice(line_end + 2, head_end + 2)),
                min(head_end + 4, following), following)


def _part_headers(block: bytes) -> HeaderPairs:
    """A part's header lines (`Name:value`, the space optional), as text."""
    pairs = []
    for line in block.split(b"\r\n"):
        name, colon, value = line.partition(b":")
        if colon:
            pairs.append((name.strip().decode("latin-1"),
                          value.strip().decode("utf-8", "replace")))
    return tuple(pairs)


def readable(body: bytes, headers: HeaderPairs) -> Steps[tuple[Decoded | None, Rope]]:
    """The body decoded per its Content-Encoding, and the bytes its parts are read from: the
    decoded ones when decoding went through to the end, else the raw ones."""
    decoded = yield from decode_content(body, header_value(headers, "content-encoding"))
    whole = decoded is not None and decoded.error is None and not decoded.truncated
    return decoded, decoded.data if whole and decoded is not None else Rope([body])


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
