"""Each stored request's conformance (SPEC 13), against its inspector's catalogue: computed when
first read and kept, so that the summary, the search, `tail` and the export ask for it freely.
Each inspector (SharedState) has its own Judge and hands it to what reads a verdict.
Not at capture: its status alone costs verified capture about a quarter of its CPU there
(bench/README.md). Nothing of it is stored: a history kept from an earlier run is judged
against the schemas of this one, so a change of `--schemas` checks it again."""

from __future__ import annotations

import contextlib
from array import array
from concurrent.futures.process import BrokenProcessPool
from enum import Enum
from typing import Any

from ..analysis import target_of
from ..captured import CapturedRequest
from ..models import header_value
from ..offload import in_process
from ..signatures import Delivery, Headers, get
from .apart import Asked, judged_apart
from .catalogue import Catalogue
from .model import Conformance, Schema, Status
from .verdict import FORM, judge, plain_check, status

VERSION_HEADERS = ("X-Shopify-API-Version",)  # where a delivery names its payload's version
# Judged at all up to this size, received and decoded (in characters): it is done on the loop
# (on reading, a summary is built there), and a 1 MiB body holds it 10-20 ms (parsed, then
# converted by jsonschema-rs); `check` has no bound. A compressed body is decoded by the
# search's bounded, kept view (SEARCHED_BYTES at most: a bomb costs a millisecond or two).
JUDGED_BYTES = 512 * 1024
# Judged in detail on the loop up to this size (received or decoded); larger, in the worker
# process (offload.py): its findings cost up to the payload's size for each one (jsonschema-rs
# copies an error's instance), in one call that holds the interpreter.
DETAILED_HERE_BYTES = 4 * 1024
# A kept status with no finding: its detail costs what its status did, on the loop too.
FINDINGLESS: tuple[Status | None, ...] = ("conforms", "unknown_event", "no_schema", "not_json",
                                          None)
# Statuses kept (12 bytes each, 1.2 MB in all, allocated at once): a `schema:` search over
# the history reads them without judging again.
KEPT_STATUSES = 100_000
# Whole verdicts kept (each up to 100 findings, some tens of KB): a `finding:` search over the
# history builds one per record, and keeping them all would grow memory past `--max-bytes`
# with what a sender chose to post; one is built again in 20-150 µs when read.
KEPT_VERDICTS = 256
STATUSES: tuple[Status, ...] = ("conforms", "deviates", "unknown_event", "no_schema",
                                "not_json")
# Kept too: "not judged" (None), for a body whose decoding is past JUDGED_BYTES, so that a
# history of decompression bombs is decoded once, not at every listing.
KEPT: tuple[Status | None, ...] = (*STATUSES, None)
# Providers and events whose status is one check of the body's JSON (`plain_check`), or is
# not, kept: the events are the senders' to name.
PLAIN_CHECKS = 1024
_KEPT_INDEX = {status: index for index, status in enumerate(KEPT)}


class _Kept(Enum):
    NOTHING = 0  # the table has nothing for this request


NOTHING_KEPT = _Kept.NOTHING


class _Unread(Enum):
    UNREAD = 0  # a value the caller has not read


UNREAD = _Unread.UNREAD
_STATUS_BITS = 3
_STATUS_MASK = (1 << _STATUS_BITS) - 1
_FINGERPRINT = (1 << 29) - 1  # with the status, 32 bits
_EMPTY = -1

Key = tuple[int, float, int, str, str | None]


class StatusTable:
    """Each request's status in a table of fixed size: its slot is its id modulo the size
    (ids are given in order: a new one takes the slot of one `size` older), holding the id and
    a fingerprint of the rest of its key, so that another request never reads it."""

    def __init__(self, size: int) -> None:
        self._ids = array("q", [_EMPTY]) * size
        self._packed = array("I", [0]) * size  # fingerprint << _STATUS_BITS | status

    def __len__(self) -> int:
        return len(self._ids) - self._ids.count(_EMPTY)

    def get(self, key: Key, fingerprint: int | None = None) -> Status | _Kept | None:
        """`fingerprint`: the key's, when the caller has it."""
        slot = key[0] % len(self._ids)
        packed = self._packed[slot]
        # Written by two stores, which a search in the worker thread may interleave with the
        # loop's: then the fingerprint differs, and the status is judged again.
        if self._ids[slot] != key[0] or packed >> _STATUS_BITS != (
                _fingerprint(key) if fingerprint is None else fingerprint):
            return NOTHING_KEPT
        return KEPT[packed & _STATUS_MASK]

    def put(self, key: Key, status: Status | None, fingerprint: int | None = None) -> None:
        slot = key[0] % len(self._ids)
        self._ids[slot] = key[0]
        self._packed[slot] = (_fingerprint(key) if fingerprint is None else fingerprint) \
            << _STATUS_BITS | _KEPT_INDEX[status]


def _fingerprint(key: Key) -> int:
    return hash(key[1:]) & _FINGERPRINT


class Judge:
    """The catalogue of this process (None: conformance turned off) and what is kept, both
    bounded: each request's status (what a summary and `schema:` read, found without building
    a finding), compactly, and the whole verdicts read most recently (DETAIL, `finding:`,
    HAR)."""

    def __init__(self, catalogue: Catalogue | None) -> None:
        self.catalogue = catalogue
        self._statuses = StatusTable(KEPT_STATUSES)
        self._verdicts: dict[Key, Conformance] = {}
        # The delivery capture is storing (None once it is stored): the record made of its
        # body object is judged on the JSON its analysis parsed, not parsed a second time (a
        # summary is made while it is stored, when a client listens). One at a time.
        self.handed: Delivery | None = None
        self._plain: dict[tuple[str, str | None], Any] = {}

    def status_of(self, record: CapturedRequest, content_type: str | _Unread | None = UNREAD,
                  block: bytes | None = None) -> Status | None:
        """`content_type`: the record's, when the caller has read it already; `block`: a CRLF
        and its header block, lowered, when the caller has it."""
        key = self._key(record)
        if key is None:
            return None
        fingerprint = hash(key[1:]) & _FINGERPRINT  # `_fingerprint`'s, without its call
        found = self._statuses.get(key, fingerprint)
        if found is NOTHING_KEPT:
            whole = self._verdicts.get(key)
            found = whole.status if whole is not None else \
                self._status(record, content_type, block)
            self._statuses.put(key, found, fingerprint)
        return found

    def fresh_status(self, record: CapturedRequest, content_type: str | None, block: bytes,
                     size: int) -> Status | None:
        """`status_of` for a capture as it is stored (nothing is kept for a new record: its
        status is judged and kept without looking): `content_type`, `block` (a CRLF and the
        header block, lowered) and `size` (its body_size) as read by the caller. With its
        delivery's JSON handed, a body as received (no coding, no parts, no form) and a
        provider and event that one check judges (`plain_check`), that check in this call;
        else `_status`."""
        provider = record.provider
        if provider is None or size > JUDGED_BYTES or self.catalogue is None:
            return None
        key = (record.id, record.received_at, size, provider, record.event)
        check = self._plain.get(key[3:], NOTHING_KEPT)
        if check is NOTHING_KEPT:
            check = self._plain_check(provider, key[4])
        kind = "" if content_type is None else content_type.lower()  # parts: `needs_view`'s
        payload = None if check is None or block.find(CONTENT_CODING) >= 0 or \
            FORM in kind or "multipart/" in kind else self._parsed(record.body)
        found: Status | None = self._status(record, content_type, block) if payload is None \
            else "conforms" if check.is_valid(payload) else "deviates"
        self._statuses.put(key, found, hash(key[1:]) & _FINGERPRINT)
        return found

    def _plain_check(self, provider: str, event: str | None) -> Any:
        assert self.catalogue is not None
        if len(self._plain) >= PLAIN_CHECKS:
            self._plain.clear()
        check = self._plain[provider, event] = plain_check(self.catalogue, provider, event)
        return check

    def _status(self, record: CapturedRequest, content_type: str | _Unread | None,
                block: bytes | None) -> Status | None:
        """The status alone, judged from the record's own facts, its header block lowered
        once (a summary's, made while capture stores it: `_asked`'s path costs it a sixth of
        a listened request). A body the page shows decoded goes `_asked`'s way."""
        assert self.catalogue is not None and record.provider is not None
        if block is None:
            block = b"\r\n" + record.header_block.lower()
        if needs_view(record, block):
            asked = self._asked(record, content_type)
            return None if asked is None else \
                status(self.catalogue, *asked, self._parsed(asked.body))
        provider, body = record.provider, record.body
        return status(self.catalogue, provider, record.event, body,
                      record.content_type if content_type is UNREAD else content_type,
                      version_of(record, block) if self.catalogue.versioned(provider) else None,
                      record.query, self._parsed(body))

    def kept(self, record: CapturedRequest, detailed: bool = False) -> bool:
        """Whether what a summary reads of it (`detailed`: the detail too) is kept, or needs
        no body: reading it then decodes and parses nothing."""
        key = self._key(record)
        status = NOTHING_KEPT if key is None else self._statuses.get(key)
        return key is None or status is None or \
            (status is not NOTHING_KEPT and (not detailed or key in self._verdicts))

    def of(self, record: CapturedRequest) -> Conformance | None:
        """None when the provider is unknown, the body (received or decoded) is past
        JUDGED_BYTES, or conformance is off."""
        key = self._key(record)
        if key is None or self._statuses.get(key) is None:  # known not to be judged
            return None
        found = self._verdicts.get(key)
        if found is None:
            found = self._judged(record)
            if found is not None:
                self._keep(key, found)
        return found

    async def detailed(self, record: CapturedRequest) -> Conformance | None:
        """`of`, made in the worker process when the payload is past DETAILED_HERE_BYTES
        (SPEC 3: the loop is never held for it), and kept for `of` to find."""
        apart = self._apart(record)
        if apart is None:
            return self.of(record)
        key, asked, schema = apart
        assert self.catalogue is not None
        family = [s for s in self.catalogue if (s.provider, s.event) ==
                  (schema.provider, schema.event)]  # every version the payload may name
        try:
            found, index = await in_process(judged_apart, family, asked)
        except BrokenProcessPool:  # no process starts (a script without a __main__ guard)
            return self.of(record)
        found = found._replace(schema=None if index is None else family[index])
        self._keep(key, found)
        return found

    def made_apart(self, record: CapturedRequest) -> bool:
        """Whether `detailed` makes the verdict in the worker process (its status judged
        first, as a summary's is: a payload known to have no finding is made here)."""
        self.status_of(record)
        return self._apart(record) is not None

    def _apart(self, record: CapturedRequest) -> tuple[Key, Asked, Schema] | None:
        """What the worker process judges: None when not judged, kept, known to have no
        finding to copy, small, or with no schema to read it."""
        key = self._key(record)
        if key is None or key in self._verdicts or self._statuses.get(key) in FINDINGLESS:
            return None
        assert self.catalogue is not None
        asked = self._asked(record)
        if asked is None or len(asked.body or b"") <= DETAILED_HERE_BYTES:
            return None
        schema = self.catalogue.find(asked.provider, asked.event, asked.version)
        return None if schema is None else (key, asked, schema)

    def _keep(self, key: Key, found: Conformance) -> None:
        self._verdicts[key] = found
        if len(self._verdicts) > KEPT_VERDICTS:
            # A search in the worker thread may add one meanwhile: the next add evicts.
            with contextlib.suppress(RuntimeError, StopIteration):
                self._verdicts.pop(next(iter(self._verdicts)), None)

    def _key(self, record: CapturedRequest) -> Key | None:
        size = record.body_size
        if self.catalogue is None or record.provider is None or size > JUDGED_BYTES:
            return None
        return (record.id, record.received_at, size, record.provider, record.event)

    def _judged(self, record: CapturedRequest) -> Conformance | None:
        assert self.catalogue is not None
        asked = self._asked(record)
        if asked is None:
            return None
        return judge(self.catalogue, *asked, parsed=self._parsed(asked.body))

    def _asked(self, record: CapturedRequest, content_type: str | _Unread | None = UNREAD
               ) -> Asked | None:
        """What the verdict is made of; None when the decoded body is past JUDGED_BYTES."""
        assert self.catalogue is not None and record.provider is not None
        body = shown_body(record)
        if isinstance(body, str) and len(body) > JUDGED_BYTES:
            return None
        provider = record.provider
        # A provider whose schemas name no version has each event's one whatever it names.
        version = version_of(record) if self.catalogue.versioned(provider) else None
        return Asked(provider, event_of(record, body), body,
                     record.content_type if content_type is UNREAD else content_type,
                     version, record.query)

    def _parsed(self, body: bytes | str | None) -> Any:
        """The handed delivery's JSON where it is what `judge` parses of these bytes: the
        same object, UTF-8 (no NUL at its start, which the analysis would read as UTF-16 or
        -32) and without an ED byte (with which a surrogate's bytes begin: the analysis
        decodes them, `judge` does not); else None, and the body is parsed here."""
        handed = self.handed
        if handed is None or handed.body is not body:
            return None
        data = handed.body
        # find, not `in`: bytes' `in` tries its operand as an int first, and a TypeError made
        # and dropped costs more than the search
        if data.find(b"\xed") >= 0 or data.find(b"\x00", 0, 4) >= 0:
            return None
        return handed.payload  # None when not JSON: then parsed here again, as before


def event_of(record: CapturedRequest, body: bytes | str | None) -> str | None:
    """The event capture identified, or, when it found none in the bytes received, the one
    the decoded body names (capture does not decode: it never waits)."""
    if record.event is not None or not isinstance(body, str):
        return record.event
    scheme = get(record.provider) if record.provider else None
    if scheme is None:
        return record.event
    decoded = Delivery(record.method, None, Headers(record.headers), body.encode(),
                       target_of(record))
    return scheme.identify(decoded).event


def shown_body(record: CapturedRequest) -> bytes | str | None:
    """The body as the page shows it: as received, or decoded per its Content-Encoding (then
    text; None when the coding could not be undone)."""
    if not needs_view(record):
        return record.body
    view = body_view(record)
    if view.text is None:  # multipart, no content coding
        return record.body
    return None if view.raw_too else view.text


def version_of(record: CapturedRequest, block: bytes | None = None) -> str | None:
    """`block`: the record's header block lowered (after a CRLF, perhaps), when the caller
    has it."""
    if block is None:
        block = record.header_block.lower()  # most requests name no version: nothing decoded
    for name, lowered in _VERSION_NAMES:
        if block.find(lowered) >= 0 and (value := header_value(record.headers, name)) is not None:
            return value
    return None


_VERSION_NAMES = tuple((name, name.lower().encode()) for name in VERSION_HEADERS)

# At the end: the query package imports this module (its Judge), and this one reads bodies
# as the search shows them, once per judgement (imported in the function, it cost a tenth of
# a summary's status).
from ..query.body_view import CONTENT_CODING, body_view, needs_view  # noqa: E402

