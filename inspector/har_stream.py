"""A HAR document's `log.entries`, read one entry at a time as the document's bytes arrive.

Pure and push-based: `feed` the bytes as they come, then `finish`; each is a job of steps
(`steps.py`) that gives the entries completed so far, as JSON values. The document is never
held whole: the top object and `log` are walked a character at a time, and every value in
them (each entry, and each member skipped) is found by a scanner that counts its characters
and its tokens, then decoded alone (`json_values`). So memory holds one bounded value at a
time, whatever the document's size or shape (before: a 30 MiB document of
empty objects took 600-800 MB).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from typing import Any, NamedTuple, TypeVar

from .har_text import ENDS_EARLY, HarError, Source
from .json_values import ValueEnd, decoded
from .pieces import Text
from .steps import Steps

MAX_MEMBERS = 1000  # of the top object and of `log`
NOT_HAR = 'not a HAR file: expected an object with a "log" object'

T = TypeVar("T")
Walk = Generator[Any, None, T]  # yields None (a step), _MORE (needs input) or an Entry
_MORE = object()
_NOT_SPACE = re.compile(r"[^ \t\r\n]")


class Entry(NamedTuple):
    value: Any  # one element of log.entries, decoded


class EntryStream:
    """`log.entries` of a document given a piece at a time, each value at most `max_chars`
    characters of JSON; a `.zhar` (zlib-compressed, as mitmproxy writes it) at most
    `max_inflated` bytes once inflated."""

    def __init__(self, max_chars: int, max_inflated: int) -> None:
        self._source = Source(max_inflated)
        self._walk = _Walker(self._source, max_chars).document()

    def feed(self, data: bytes) -> Steps[list[Any]]:
        self._source.push(data)
        return (yield from self._run())

    def finish(self) -> Steps[list[Any]]:
        self._source.ended = True
        return (yield from self._run())

    def _run(self) -> Steps[list[Any]]:
        found: list[Any] = []
        for event in self._walk:
            if event is _MORE:
                break
            if isinstance(event, Entry):
                found.append(event.value)
            yield
        return found


class _Walker:
    """The top object, then `log`, then each of `log.entries`, walked over the text."""

    def __init__(self, source: Source, max_chars: int) -> None:
        self._source, self._max_chars = source, max_chars
        self._piece, self._at = "", 0
        self._seen: set[str] = set()

    def document(self) -> Walk[None]:
        yield from self._opens("{", "the document", NOT_HAR)
        yield from self._object("the document", self._top_member)
        if "log" not in self._seen:
            raise HarError(NOT_HAR)
        if (yield from self._char(required=False)):
            raise HarError("not a HAR file: invalid JSON: more after the document's end")

    def _top_member(self, key: str) -> Walk[None]:
        if (yield from self._is(key, "log", "")):
            yield from self._opens("{", "log", NOT_HAR)
            yield from self._object("log", self._log_member)
            if "entries" not in self._seen:
                raise HarError("log.entries: missing")

    def _log_member(self, key: str) -> Walk[None]:
        if (yield from self._is(key, "entries", "log.")):
            yield from self._opens("[", "log.entries", "log.entries: expected list")
            index = 0
            while not (yield from self._opened_or_next("log.entries", "]", index == 0)):
                yield Entry((yield from self._value(f"log.entries[{index}]")))
                index += 1

    def _is(self, key: str, name: str, where: str) -> Walk[bool]:
        """Whether the member here is the one called `name` (given once); any other is read
        and left."""
        if key != name:
            yield from self._value(f"{where}{key[:40]}")
            return False
        if name in self._seen:
            raise HarError(f"{where}{name}: given twice")
        self._seen.add(name)
        return True

    def _opens(self, bracket: str, where: str, refusal: str) -> Walk[None]:
        """The value here must open with `bracket`; else it is read (a JSON fault is said
        first, as when the document was parsed whole) and refused."""
        if (yield from self._char()) != bracket:
            yield from self._value(where)
            raise HarError(refusal)

    def _object(self, where: str, member: Callable[[str], Walk[None]]) -> Walk[None]:
        count = 0
        while not (yield from self._opened_or_next(where, "}", count == 0)):
            count += 1
            if count > MAX_MEMBERS:
                raise HarError(f"{where}: more than {MAX_MEMBERS} members")
            key = yield from self._value(f"a member name in {where}")
            key = "".join(key) if isinstance(key, Text) else key  # a long one, decoded apart
            if not isinstance(key, str) or (yield from self._char()) != ":":
                raise HarError(f"not a HAR file: invalid JSON: {where}: expected a member name")
            self._at += 1
            yield from self._char()
            yield from member(key)
            yield

    def _opened_or_next(self, where: str, closing: str, first: bool) -> Walk[bool]:
        """Past the opening bracket (when `first`) or the comma before the next member or
        element; True, past it, when the closing bracket comes instead."""
        if first:
            self._at += 1
        char = yield from self._char()
        if char == closing:
            self._at += 1
            return True
        if not first:
            if char != ",":
                raise HarError(f"not a HAR file: invalid JSON: {where}: expected ',' "
                               f"or {closing!r}")
            self._at += 1
            yield from self._char()
        return False

    def _char(self, required: bool = True) -> Walk[str]:
        """The next character that is not white space, not consumed ("" at the end)."""
        while True:
            found = _NOT_SPACE.search(self._piece, self._at)
            if found:
                self._at = found.start()
                return self._piece[self._at]
            if not (yield from self._more()):
                if required:
                    raise HarError(ENDS_EARLY)
                return ""

    def _more(self) -> Walk[bool]:
        while (text := self._source.text()) == "":
            yield _MORE
        if text is None:
            return False
        self._piece, self._at = text, 0
        return True

    def _value(self, where: str) -> Walk[Any]:
        """The JSON value that starts here, decoded; HarError when it is larger than allowed
        or not JSON."""
        end, pieces = ValueEnd(self._max_chars, where), []
        while True:
            start = self._at
            self._at, done = end.scan(self._piece, start)
            pieces.append(self._piece[start:self._at])
            if done:
                break
            yield
            if self._at == len(self._piece) and not (yield from self._more()):
                if not end.scalar:
                    raise HarError(ENDS_EARLY)
                break
        return (yield from decoded(pieces, end.long_strings, where))
