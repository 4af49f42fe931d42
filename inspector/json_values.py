"""One JSON value of a document read as it arrives: where it ends, found a piece of text at a
time without decoding it (`ValueEnd`), then the value itself (`decoded`).

`json.JSONDecoder.raw_decode` makes a value in one C call, and joining the value's text is
another: for a HAR entry holding a 10 MiB body, 12-45 ms on a busy machine, 50-60 ms when the
body is all `\\u` escapes. So the scanner notes where each string longer than LONG characters
lies; the value is decoded with each of those strings replaced by a placeholder no document can
guess, and each long string is decoded apart, a piece at a time, into a `Text` that takes its
placeholder's place.
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

from .har_text import HarError
from .pieces import PIECE, Text
from .steps import Steps

MAX_TOKENS = 100_000  # strings, containers and commas in one value: a few MB of objects
MAX_DEPTH = 1000  # what json's decoder accepts before a RecursionError
STEP_TOKENS = 500  # a step of the scanner: about 0.5 ms
LONG = PIECE  # a string longer than this is decoded apart

_STRING_BODY = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)
_STRUCTURE = re.compile(r'[\[\]{}",]')
_SCALAR_END = re.compile(r'[ \t\r\n,:\[\]{}"]')
_DECODER = json.JSONDecoder()
# Whole escapes (a surrogate pair together) and what lies between them: where a string's
# text may be cut and each side decoded alone.
_WHOLE_ESCAPES = re.compile(r"(?:[^\\]+|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
                            r"|\\u[0-9a-fA-F]{4}|\\[^u])*")
_HIGH_SURROGATE_AT_END = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\Z")
_LONGEST_ESCAPE = 12


def decoded(pieces: list[str], long_strings: list[tuple[int, int]], where: str) -> Steps[Any]:
    """The value whose text is `pieces` joined, its long strings (places from `ValueEnd`)
    decoded apart as `Text`."""
    if not long_strings:
        return _whole("".join(pieces), where)
    nonce = secrets.token_hex(16)
    short, raws = _apart(pieces, long_strings, nonce)
    value = _whole("".join(short), where)
    texts = []
    for raw in raws:
        texts.append((yield from _long_string(raw, where)))
    return _put_back(value, nonce, texts)


def _apart(pieces: list[str], spans: list[tuple[int, int]],
           nonce: str) -> tuple[list[str], list[list[str]]]:
    """The text with the inside of each span replaced by `nonce` and its number, and the
    spans' own text, each in the pieces it came in."""
    short: list[str] = []
    raws: list[list[str]] = [[] for _ in spans]
    offset = index = 0
    for piece in pieces:
        at = 0
        while at < len(piece):
            if index == len(spans) or offset + at < spans[index][0]:
                stop = len(piece) if index == len(spans) else \
                    min(len(piece), spans[index][0] - offset)
                short.append(piece[at:stop])
            else:
                stop = min(len(piece), spans[index][1] - offset)
                raws[index].append(piece[at:stop])
                if offset + stop == spans[index][1]:
                    short.append(f"{nonce}{index}")
                    index += 1
            at = stop
        offset += len(piece)
    return short, raws


def _long_string(raw: list[str], where: str) -> Steps[Text]:
    """The string whose JSON text (inside its quotes) is `raw`, decoded a piece at a time."""
    text, carry = Text(), ""
    for piece in raw:
        chunk = carry + piece
        whole = _WHOLE_ESCAPES.match(chunk)  # it may match nothing, so it always matches
        cut = whole.end() if whole else 0
        if _HIGH_SURROGATE_AT_END.search(chunk, 0, cut):
            cut -= 6  # its low half may open the next piece
        if len(chunk) - cut > _LONGEST_ESCAPE:
            cut = len(chunk)  # a broken escape, which decoding then names
        text.append(_string(chunk[:cut], where))
        carry = chunk[cut:]
        yield
    text.append(_string(carry, where))
    return text


def _string(inside: str, where: str) -> str:
    found: str = _whole(f'"{inside}"', where)
    return found


def _put_back(value: Any, nonce: str, texts: list[Text]) -> Any:
    """`value` with each placeholder replaced by its Text (a member name by its string)."""
    def placed(item: Any) -> Any:
        if isinstance(item, str) and item.startswith(nonce):
            return texts[int(item[len(nonce):])]
        if isinstance(item, dict | list):
            containers.append(item)
        return item

    containers: list[Any] = []
    value = placed(value)
    while containers:
        container = containers.pop()
        if isinstance(container, list):
            container[:] = [placed(item) for item in container]
            continue
        members = [(placed(key), placed(item)) for key, item in container.items()]
        container.clear()  # then in their order again, the last of a name kept, as decoding does
        container.update(("".join(key), item) if isinstance(key, Text) else (key, item)
                         for key, item in members)
    return value


def _whole(text: str, where: str) -> Any:
    try:
        value, end = _DECODER.raw_decode(text)
    except RecursionError:
        raise HarError("not a HAR file: JSON nested too deeply") from None
    except ValueError as error:
        raise HarError(f"not a HAR file: invalid JSON in {where}: {error}") from None
    if end != len(text):
        raise HarError(f"not a HAR file: invalid JSON in {where}: more after char {end}")
    return value


class ValueEnd:
    """Where one JSON value ends, found a piece of text at a time without decoding it, its
    characters and its tokens (strings, containers, commas) counted and bounded, and where
    its strings longer than LONG lie (offsets into the value's text)."""

    def __init__(self, max_chars: int, where: str) -> None:
        self._max_chars, self._where = max_chars, where
        self._chars = self._tokens = self._depth = self._base = self._string_start = 0
        self._started = self.scalar = self._in_string = self._escaped = False
        self.long_strings: list[tuple[int, int]] = []

    def scan(self, piece: str, start: int) -> tuple[int, bool]:
        """How far into `piece` one step read (at most STEP_TOKENS tokens), and whether the
        value ended there."""
        if not self._started:
            self._started = True
            self.scalar = piece[start] not in '"[{'
        self._base = self._chars - start  # piece[i] is the value's character _base + i
        at, done = self._scalar_end(piece, start) if self.scalar else self._scan(piece, start)
        self._chars += at - start
        if self._chars > self._max_chars:
            raise HarError(f"{self._where}: more than {self._max_chars} characters of JSON")
        return at, done

    @staticmethod
    def _scalar_end(piece: str, at: int) -> tuple[int, bool]:
        found = _SCALAR_END.search(piece, at)
        return (found.start(), True) if found else (len(piece), False)

    def _scan(self, piece: str, at: int) -> tuple[int, bool]:
        budget = STEP_TOKENS
        while at < len(piece) and budget:
            if self._in_string:
                at = self._string(piece, at)
                if not self._in_string and self._depth == 0:
                    return at, True
                continue
            found = _STRUCTURE.search(piece, at)
            if found is None:
                return len(piece), False
            at, budget = found.end(), budget - 1
            self._string_start = self._base + at
            if self._structure(found.group()) and self._depth == 0:
                return at, True
        return at, False

    def _string(self, piece: str, at: int) -> int:
        """Past what of a string this piece holds: its end, or the piece's."""
        if self._escaped:
            self._escaped, at = False, at + 1
        body = _STRING_BODY.match(piece, at)  # it may match nothing, so it always matches
        at = body.end() if body else at
        if at < len(piece):
            self._escaped = piece[at] == "\\"  # a backslash that ends the piece
            self._in_string = self._escaped
            if not self._in_string and self._base + at - self._string_start > LONG:
                self.long_strings.append((self._string_start, self._base + at))
            at += 1
        return at

    def _structure(self, char: str) -> bool:
        """Counts a token; True when it closes a container."""
        if char in "]}":
            self._depth -= 1
            return True
        self._tokens += 1
        if self._tokens > MAX_TOKENS:
            raise HarError(f"{self._where}: more than {MAX_TOKENS} JSON values")
        if char == '"':
            self._in_string = True
        elif char != ",":
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise HarError("not a HAR file: JSON nested too deeply")
        return False
