"""The body as the page shows it, for the search (issue 26.5): decoded per Content-Encoding,
and a multipart body's form fields. Only a body with a Content-Encoding or a multipart type
needs one: any other body is searched as its raw text, as before.

Bounded: at most SEARCHED_BYTES of decoded body are searched (the bounded decoders of
`bodies.py` stop there, so a 10 MiB decompression bomb costs a millisecond or two, and the
case folding, JSON parsing and finding that follow stay within a few ms: the loop is never
held 20 ms for one record, SPEC 3). A view is kept for the records searched lately (by the
body object, held while kept), so a history of compressed bodies is not decoded at every
search.
"""

from __future__ import annotations

import codecs
import threading
from collections import OrderedDict
from typing import NamedTuple

from ..bodies import decode_content, multipart_parts
from ..captured import CapturedRequest
from ..models import header_value
from ..pieces import PIECE, Rope
from ..steps import Steps, finish
from .text import fold, forget_folded, is_folded, keep_folded

SEARCHED_BYTES = 1024 * 1024  # of a decoded body
KEPT_BYTES = 32 * 1024 * 1024  # of views (and their bodies) kept between searches
CONTENT_CODING = b"\r\ncontent-encoding:"


class BodyView(NamedTuple):
    # The decoded body (its first SEARCHED_BYTES) as UTF-8, errors replaced; None without a
    # content coding (a multipart body's text is its raw text, searched whole as before).
    text: str | None
    raw_too: bool  # decoding failed part way: the raw text is searched as well
    fields: tuple[tuple[str, str], ...]  # a multipart body's form fields (named, no filename)


def needs_view(record: CapturedRequest, block: bytes | None = None) -> bool:
    """The body is not searched as it was received: it has a content coding or parts.
    Asked of every record a text search reads: the common answer costs one lowering.
    `block`: a CRLF and the record's header block, lowered, when the caller has it."""
    if block is None:
        block = b"\r\n" + record.header_block.lower()
    # find, not `in`: bytes' `in` tries its operand as an int first (a TypeError made and
    # dropped, which costs more than the search)
    if block.find(CONTENT_CODING) >= 0:
        return True
    if block.find(b"multipart/") < 0:
        return False
    content_type = record.content_type
    return content_type is not None and content_type.lstrip()[:10].lower() == "multipart/"


def _view(record: CapturedRequest) -> Steps[BodyView]:
    headers = record.headers
    decoded = yield from decode_content(record.body, header_value(headers, "content-encoding"),
                                        SEARCHED_BYTES)
    data = decoded.data if decoded is not None else Rope([record.body[:SEARCHED_BYTES]])
    text = None if decoded is None else (yield from _replaced_text(data))
    whole = decoded is None or (decoded.error is None and not decoded.truncated)
    parts = (yield from multipart_parts(data, record.content_type)) if whole else None
    fields = []
    for part in parts or ():
        name = part.disposition("name")
        if name is not None and part.disposition("filename") is None:
            fields.append((name, data.slice(part.start, part.end).decode("utf-8", "replace")))
        yield
    return BodyView(text, decoded is not None and decoded.error is not None, tuple(fields))


def _replaced_text(data: Rope) -> Steps[str]:
    """`bytes(data).decode("utf-8", "replace")`, a piece a step."""
    decoder, pieces = codecs.getincrementaldecoder("utf-8")("replace"), []
    for window in data.windows():
        pieces.append(decoder.decode(window))
        yield
    pieces.append(decoder.decode(b"", final=True))
    return "".join(pieces)


def _folded(text: str) -> Steps[str]:
    """`fold(text)`, a piece a step (folding is per character)."""
    pieces = []
    for at in range(0, len(text), PIECE):
        pieces.append(fold(text[at:at + PIECE]))
        yield
    return "".join(pieces)


def _kept_size(body: bytes, view: BodyView) -> int:
    """What an entry keeps alive: the body (deleted from the store meanwhile, perhaps) too."""
    text = view.text or ""
    return len(body) + len(text) * (2 if is_folded(text) else 1) + \
        sum(len(n) + len(v) for n, v in view.fields)


class _Kept:
    """The views of the bodies searched lately, oldest out first past KEPT_BYTES; each entry
    holds its body, so that the body's identity names it while it is kept."""

    def __init__(self) -> None:
        self._views: OrderedDict[int, tuple[bytes, BodyView]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # a websocket's judgement may read from the worker

    def view(self, record: CapturedRequest) -> BodyView:
        return finish(self.steps(record))

    def steps(self, record: CapturedRequest) -> Steps[BodyView]:
        """The view, as steps (none when it is kept)."""
        key = id(record.body)
        with self._lock:
            found = self._views.get(key)
            if found is not None and found[0] is record.body:
                self._views.move_to_end(key)
                return found[1]
        made = yield from _view(record)
        with self._lock:
            self._drop(self._views.pop(key, None))
            self._views[key] = (record.body, made)
            self._size += _kept_size(record.body, made)
            self._trim()
        return made

    def fold_steps(self, record: CapturedRequest) -> Steps[None]:
        """The view made, and its text folded ahead when it is not ASCII (a search folds it:
        a MiB of other letters at once holds the loop 10-20 ms), both in steps; the folded
        text is kept with the view (text.keep_folded: `fold` answers it)."""
        view = yield from self.steps(record)
        text = view.text
        if text is None or text.isascii() or is_folded(text):
            return
        folded = yield from _folded(text)
        with self._lock:
            entry = self._views.get(id(record.body))
            if entry is not None and entry[1] is view:  # not dropped meanwhile
                keep_folded(text, folded)
                self._size += len(text)
                self._trim()

    def _trim(self) -> None:
        while self._size > KEPT_BYTES and len(self._views) > 1:
            self._drop(self._views.popitem(last=False)[1])

    def _drop(self, entry: tuple[bytes, BodyView] | None) -> None:
        if entry is not None:
            self._size -= _kept_size(*entry)
            if entry[1].text is not None:
                forget_folded(entry[1].text)


_KEPT = _Kept()
body_view = _KEPT.view
body_view_steps = _KEPT.steps  # the same view, made in steps for a caller on the loop
folded_view_steps = _KEPT.fold_steps  # and its text folded ahead, for a search
