"""A HAR document's bytes, as they arrive, turned into text a piece at a time (`har_stream`
reads it): a `.zhar` (zlib-compressed, as mitmproxy writes it) inflated with its size
bounded, then UTF-8 (a BOM allowed)."""

from __future__ import annotations

import codecs
import zlib
from collections import deque
from typing import Any

from .bodies import has_zlib_header
from .pieces import PIECE

ENDS_EARLY = "not a HAR file: invalid JSON: the document ends early"


class HarError(ValueError):
    """The document cannot be imported; the message says where and why."""


class Source:
    """The document's text as its bytes arrive: inflated first when it is a `.zhar` (JSON never
    starts with `x`), decoded as UTF-8 (a BOM allowed), at most PIECE at a time."""

    def __init__(self, max_inflated: int) -> None:
        self._raw: deque[bytes] = deque()
        self.ended = False
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._decoded = 0  # bytes given to the decoder so far, for the position of an error
        self._inflater: Any = None
        self._zhar: bool | None = None
        self._inflated, self._max_inflated = 0, max_inflated
        self._done = False

    def push(self, data: bytes) -> None:
        self._raw.extend(data[at:at + PIECE] for at in range(0, len(data), PIECE))

    def text(self) -> str | None:
        """The next piece of text; "" when more bytes are needed first, None at the end."""
        while data := self._json_bytes():
            if text := self._decode(data, final=False):
                return text
        if not self.ended or self._done:
            return None if self._done else ""
        self._done = True
        if self._zhar and not self._inflater.eof:
            raise HarError("not a HAR file: the deflate stream ends early")
        return self._decode(b"", final=True) or None

    def _json_bytes(self) -> bytes:
        if self._zhar is None:
            head = b"".join(self._raw)[:2]
            if len(head) < 2 and not self.ended:
                return b""
            self._zhar = head.startswith(b"x")
            self._inflater = zlib.decompressobj(15 if has_zlib_header(head) else -15)
        if not self._zhar:
            return self._raw.popleft() if self._raw else b""
        if self._inflater.eof:  # what follows the stream is ignored, as zlib does
            self._raw.clear()
        return self._inflate()

    def _inflate(self) -> bytes:
        while self._raw and not self._inflater.eof:
            data = self._raw.popleft()
            try:
                out: bytes = self._inflater.decompress(data, PIECE)
            except zlib.error as error:
                raise HarError(f"not a HAR file: not valid deflate: {error}") from None
            if self._inflater.unconsumed_tail:
                self._raw.appendleft(self._inflater.unconsumed_tail)
            elif len(out) == PIECE:
                self._raw.appendleft(b"")  # output may be waiting: ask again
            self._inflated += len(out)
            if self._inflated > self._max_inflated:
                raise HarError(f"the compressed HAR inflates past {self._max_inflated} bytes")
            if out:
                return out
        return b""

    def _decode(self, data: bytes, final: bool) -> str:
        held = len(self._decoder.getstate()[0])
        try:
            text: str = self._decoder.decode(data, final)
        except UnicodeDecodeError as error:
            at = self._decoded - held + error.start
            raise HarError(f"not a HAR file: byte {at} is not UTF-8") from None
        self._decoded += len(data)
        return text
