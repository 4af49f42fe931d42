"""Large bytes and text handled a piece at a time, as steps (`steps.py`).

One C call over 10 MiB (checking UTF-8, base64, escaping a JSON string, a search, even joining
pieces into one string) holds the interpreter for 10-25 ms on a busy machine; over PIECE bytes,
about 1 ms. So a decoded body stays the pieces its decoder made (a `Rope`), its text stays
pieces (`Text`), and each function here gives what its one-call version gives, a step a piece.
"""

from __future__ import annotations

import base64
import bisect
import codecs
import json
from collections.abc import Iterable, Iterator
from typing import Any

from .steps import Steps

PIECE = 256 * 1024


class Rope:
    """Bytes kept as the pieces they came in, never joined; offsets are over the whole."""

    def __init__(self, pieces: Iterable[bytes] = ()) -> None:
        self.pieces: list[bytes] = []
        self._starts: list[int] = []
        self._size = 0
        for piece in pieces:
            self.append(piece)

    def append(self, piece: bytes) -> None:
        if piece:
            self.pieces.append(piece)
            self._starts.append(self._size)
            self._size += len(piece)

    def __len__(self) -> int:
        return self._size

    def __bytes__(self) -> bytes:
        return b"".join(self.pieces)

    def view(self, start: int, size: int) -> memoryview:
        """At most `size` bytes from `start`, within one piece (so without a copy)."""
        piece, offset = self._locate(start)
        return memoryview(piece)[offset:offset + size]

    def _locate(self, start: int) -> tuple[bytes, int]:
        """The piece that holds offset `start`, and where in it."""
        index = bisect.bisect_right(self._starts, start) - 1
        return self.pieces[index], start - self._starts[index]

    def windows(self) -> Iterator[memoryview]:
        """The whole, PIECE bytes at most at a time."""
        at = 0
        while at < self._size:
            window = self.view(at, PIECE)
            at += len(window)
            yield window

    def slice(self, start: int, end: int) -> bytes:
        start, end = max(start, 0), min(end, self._size)
        pieces = []
        while start < end:
            pieces.append(self.view(start, end - start))
            start += len(pieces[-1])
        return b"".join(pieces)

    def find(self, sought: bytes, start: int, end: int) -> Steps[int]:
        """`bytes(self).find(sought, start, end)`, through about PIECE bytes a step."""
        end = min(end, self._size)
        while start < end:
            piece, offset = self._locate(start)
            stop = min(len(piece), offset + PIECE, offset + end - start)
            found = piece.find(sought, offset, stop)
            if found >= 0:
                return start + found - offset
            edge = start + stop - offset
            around = max(start, edge - len(sought) + 1)
            found = self.slice(around, min(end, edge + len(sought) - 1)).find(sought)
            if found >= 0:  # across the edge of two windows
                return around + found
            start = edge
            yield
        return -1


class Text(list[str]):
    """A long string kept as its pieces: `json_pieces` writes it as one JSON string."""


def utf8_text(data: Rope) -> Steps[Text]:
    """`bytes(data).decode("utf-8")`: UnicodeDecodeError when it is not UTF-8."""
    decoder, text = codecs.getincrementaldecoder("utf-8")(), Text()
    for window in data.windows():
        text.append(decoder.decode(window))
        yield
    text.append(decoder.decode(b"", final=True))
    return text


def base64_text(data: Rope) -> Steps[Text]:
    """`base64.b64encode(bytes(data)).decode("ascii")`."""
    text, carry = Text(), b""
    for window in data.windows():
        chunk = carry + window
        whole = len(chunk) - len(chunk) % 3  # base64 of whole triplets joins up
        text.append(base64.b64encode(chunk[:whole]).decode("ascii"))
        carry = chunk[whole:]
        yield
    text.append(base64.b64encode(carry).decode("ascii"))
    return text


def json_pieces(value: Any) -> Steps[list[bytes]]:
    """`json.dumps(value).encode()` (the same separators, ASCII) in pieces of about PIECE
    bytes, for what the API answers: dicts with string keys, lists, strings and Text, numbers,
    booleans and None."""
    out = _Out()
    yield from _write(value, out)
    out.flush()
    return out.pieces


class _Out:
    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self._held: list[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        self._held.append(text)
        self._size += len(text)
        if self._size >= PIECE:
            self.flush()

    def flush(self) -> None:
        self.pieces.append("".join(self._held).encode("ascii"))
        self._held, self._size = [], 0


def _write(value: Any, out: _Out) -> Steps[None]:
    if isinstance(value, str) and len(value) > PIECE:
        value = Text([value])
    if isinstance(value, Text):
        out.write('"')
        for text in value:
            for at in range(0, len(text), PIECE):
                out.write(json.dumps(text[at:at + PIECE])[1:-1])
                yield
        out.write('"')
    elif isinstance(value, dict):
        out.write("{")
        for index, (key, item) in enumerate(value.items()):
            out.write(f"{', ' if index else ''}{json.dumps(str(key))}: ")
            yield from _write(item, out)
        out.write("}")
    elif isinstance(value, list | tuple):
        out.write("[")
        for index, item in enumerate(value):
            out.write(", " if index else "")
            yield from _write(item, out)
            yield
        out.write("]")
    else:
        out.write(json.dumps(value))
