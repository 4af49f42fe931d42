"""What every store engine answers: memory, sqlite, redis (one behavioural suite for all)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, NamedTuple, Protocol, TypeVar

from ..captured import CapturedRequest
from ..conformance.judged import Judge
from ..models import Arrival, ResponseRecord
from ..query import Node
from ..query.wanted import Wanted
from ..steps import turns

# What a change is about: request/update (a record), delete (ids, evictions included), clear
# (None; or why, when a shared store lost data and its history was read again).
Change = CapturedRequest | list[int] | str | None
# How every engine reports its changes, once they take effect: the memory engine at once, a
# durable one once committed (never, when the commit fails), a shared one as it applies its
# log (every instance alike, its own writes included).
Announce = Callable[[str, Change], None]
# A request handed to the store: the record, when this process gave its id (else None until
# the store has written it), and what is done once it is stored for good (None: it is).
Submitted = tuple[CapturedRequest | None, "asyncio.Future[Any] | None"]
# A match a scan found: its id, with its record (None only when the scan was not to load it).
Found = tuple[int, "CapturedRequest | None"]
# What a scan yields: a match, a verdict it needs made before it goes on, or None (a pause).
Scanned = Found | Wanted | None


class StoreBusy(Exception):
    """The store cannot take a record now (a shared store away, its queue full): the sender
    is told to retry."""


def unheard(kind: str, change: Change) -> None:
    """Where a store's changes go until someone listens (a script's store, a replica)."""


class Store(Protocol):
    engine: str
    instance: str  # names the history: kept by a durable engine across restarts
    shared: bool  # other processes write this history too (so any of them may change a record)
    announce: Announce  # given by whoever stores through it (SharedState)
    judge: Judge  # the same's: its verdicts are what `schema:` and `finding:` search

    @property
    def last_id(self) -> int:
        """The highest id announced (or being announced): where a websocket's live messages
        start. A durable engine's ids count once committed."""
    def __len__(self) -> int: ...
    def original_of(self, dedupe_key: str) -> int | None: ...
    def get(self, request_id: int) -> CapturedRequest | None: ...
    def submit(self, arrival: Arrival, learnt: dict[str, Any], dedupe_key: str | None,
               response: ResponseRecord | None, numbered: bool) -> Submitted:
        """Store a request that just arrived with what was learnt about it (its other fields;
        `duplicate_of` as `original_of` found it, where the engine answers that). `numbered`:
        the response's body is the default answer, which names the id. StoreBusy when the
        store cannot take it now."""
    def replace(self, record: CapturedRequest, quiet: bool = False) -> bool:
        """Whether a record with its id was stored (and is now this one). `quiet`: a change
        no summary shows (the causes of a mismatch, found on reading) is not announced; a
        shared store's instances learn every change from its log, and announce it."""
    def delete(self, ids: Iterable[int]) -> list[int]:
        """The ids that were stored and are deleted now (one change)."""
    def clear(self) -> None: ...
    def after(self, after_id: int, limit: int = 1_000_000) -> list[CapturedRequest]: ...
    def newest(self, limit: int, before: int | None = None) -> list[CapturedRequest]:
        """The newest `limit` records (with ids below `before`), ascending."""
    def durable(self) -> asyncio.Future[None] | None:
        """None when everything written is already durable, else what resolves once it is,
        or fails with StoreBusy when the store could not keep it (then nothing of it is)."""
    async def drained(self) -> None:
        """Once every change made so far is written (or the store is away): at once for an
        engine that writes in this process (its `durable` says when a commit is done)."""
    async def claim(self, name: str, lease_s: float) -> bool:
        """This instance's claim on `name` (taken, or renewed) for `lease_s`; False while
        another instance holds it: one instance acts for all (a route's held queue). Always
        True for an engine this process alone writes."""
    def health(self) -> dict[str, object]:
        """`{"engine", "state": "ok" | "unreachable" | "draining", "queued"}` (SPEC 11)."""
    def swap_meta(self, key: str, value: str) -> str | None:
        """Keep `value` under `key` with the history; the value it replaces, if any."""
    def scan(self, query: Node, now: float, window: Window, load: bool = True
             ) -> Iterator[Scanned]:
        """Every stored match (SPEC 12) within the window, in its order (newest first with
        `newest`; the caller stops at the limit), with its record unless not `load`; None
        after each bounded piece of work that found nothing. The caller may let the event
        loop run between any two items: each piece reads the store as it is then. A Wanted
        verdict is made by a caller on the loop before it goes on (else the scan makes it)."""
    def search(self, query: Node, now: float, window: Window | None = None
               ) -> list[CapturedRequest]:
        """The stored records that match (SPEC 12), ascending, within the window, at once
        (`search_sliced` is how the loop's own callers ask)."""
    def count(self, query: Node, now: float) -> int:
        """How many stored records match, at once."""
    async def close(self) -> None: ...


class LocalStore(Store, Protocol):
    """An engine this process alone writes (memory, SQLite): ids are given here."""

    def next_id(self) -> int: ...
    def add(self, record: CapturedRequest, dedupe_key: str | None = None) -> list[int]:
        """Store a record (announced, with the ids evicted to make room for it, which are
        returned). With a dedupe key, the caller has looked its original up
        (`record.duplicate_of`, from `original_of`): a record with none becomes the key's
        original."""


# What a record learns, after its id and its Arrival's fields: given by name in `learnt`
# (bar the response), but the record is built positionally (keywords cost it as much again).
_LEARNT = CapturedRequest._fields[len(Arrival._fields) + 1:]
_RESPONSE_AT = _LEARNT.index("response")
_BEFORE, _AFTER = _LEARNT[:_RESPONSE_AT], _LEARNT[_RESPONSE_AT + 1:]
# CapturedRequest's defaults, from `error` on, in its fields' order (`numbered`'s last)
_DEFAULTS = dict(zip(_LEARNT, CapturedRequest.__new__.__defaults__ or (), strict=False))
_DEFAULTS_BEFORE, _DEFAULTS_AFTER = ([_DEFAULTS[name] for name in names]
                                     for names in (_BEFORE, _AFTER))
_GIVEN_BY_NAME = frozenset(_BEFORE + _AFTER)
# Its fields in order, from maps, given to its __new__ itself: a call of the class would look
# __new__ up and then __init__ (tuple's, which does nothing) for each record.
_BUILD: Callable[..., CapturedRequest] = CapturedRequest.__new__


def record_of(arrival: Arrival, request_id: int, learnt: dict[str, Any],
              response: ResponseRecord | None, numbered: bool) -> CapturedRequest:
    """The record to store, built once (`_replace` costs a microsecond a time). A `numbered`
    response's body is the request's id: the record numbers it (captured.py)."""
    if not _GIVEN_BY_NAME.issuperset(learnt):
        raise TypeError(f"not learnt of a request: {sorted(set(learnt) - _GIVEN_BY_NAME)}")
    given = learnt.get
    return _BUILD(CapturedRequest, request_id, *arrival,
                  *map(given, _BEFORE, _DEFAULTS_BEFORE), response,
                  *map(given, _AFTER, _DEFAULTS_AFTER), numbered)


def given_here(store: LocalStore, arrival: Arrival, learnt: dict[str, Any],
               dedupe_key: str | None, response: ResponseRecord | None,
               numbered: bool) -> Submitted:
    """`submit` for an engine that gives ids in this process: stored (and announced, or to
    be once committed) now."""
    record = record_of(arrival, store.next_id(), learnt, response, numbered)
    store.add(record, dedupe_key)
    return record, store.durable()


PAGE = 500


def records_after(store: Store, after: int, until: int | None = None) -> Iterator[CapturedRequest]:
    """The stored requests with ids above `after` (up to `until`), read a page at a time, so
    that a long history is never held in memory at once."""
    while True:
        page = store.after(after, PAGE)
        for record in page:
            if until is not None and record.id > until:
                return
            yield record
        if len(page) < PAGE:
            return
        after = page[-1].id


def records_before(store: Store, before: int | None = None) -> Iterator[CapturedRequest]:
    """The stored requests with ids below `before` (all without it), newest first, a page at
    a time."""
    while True:
        page = store.newest(PAGE, before)
        yield from reversed(page)
        if len(page) < PAGE:
            return
        before = page[0].id


class Window(NamedTuple):
    """Which matches a search returns: ids strictly between `after` and `before`, the first
    `limit` of them (or the last, with `newest`), always ascending."""

    after: int = 0
    before: int | None = None
    limit: int | None = None
    newest: bool = False


EVERY_MATCH = Window()


def _records(found: Iterable[Found], window: Window) -> list[CapturedRequest]:
    records = [record for _, record in found if record is not None]
    return records[::-1] if window.newest else records


def select(scanned: Iterator[Scanned], window: Window) -> list[CapturedRequest]:
    """The first `window.limit` matches of a scan, ascending, at once."""
    found = itertools.islice((item for item in scanned if item is not None and not
                              isinstance(item, Wanted)), window.limit)
    return _records(found, window)


def count_found(scanned: Iterator[Scanned]) -> int:
    return sum(1 for item in scanned if item is not None and not isinstance(item, Wanted))


T = TypeVar("T")


async def gathered(items: Iterator[T | Wanted | None], limit: int | None = None) -> list[T]:
    """The items (the first `limit`), giving the event loop its turn every steps.SLICE_S,
    and each verdict they want made before the next."""
    found: list[T] = []
    async for item in turns(items):
        if item is None:
            continue
        if isinstance(item, Wanted):
            await item.made()
            continue
        found.append(item)
        if len(found) == limit:
            break
    return found


async def search_sliced(store: Store, query: Node, now: float,
                        window: Window = EVERY_MATCH) -> list[CapturedRequest]:
    """`store.search` in slices, the event loop running between them."""
    return _records(await gathered(store.scan(query, now, window), window.limit), window)


async def matching_ids(store: Store, query: Node, now: float) -> list[int]:
    """The ids of every match, ascending, in slices."""
    return [found[0] for found in await gathered(store.scan(query, now, EVERY_MATCH,
                                                            load=False))]


async def matches_after(store: Store, query: Node, now: float, after: int,
                        until: int) -> AsyncIterator[CapturedRequest]:
    """The matches with ids above `after` up to `until`, found a page at a time, in slices."""
    while True:
        page = await search_sliced(store, query, now,
                                   Window(after=after, before=until + 1, limit=PAGE))
        for record in page:
            yield record
        if len(page) < PAGE:
            return
        after = page[-1].id
