"""What every store engine answers: memory, sqlite, redis (one behavioural suite for all)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import NamedTuple, Protocol, TypeVar

from ..models import CapturedRequest
from ..query import Node
from ..steps import turns

# What a shared engine announces as it applies the shared log: request/update (a record),
# delete (ids), clear (None; or why, when the store lost data and the history was read again).
Announce = Callable[[str, "CapturedRequest | list[int] | str | None"], None]
# A match a scan found: its id, with its record (None only when the scan was not to load it).
Found = tuple[int, "CapturedRequest | None"]


class StoreBusy(Exception):
    """The store cannot take a record now (a shared store away, its queue full): the sender
    is told to retry."""


class Store(Protocol):
    engine: str
    instance: str  # names the history: kept by a durable engine across restarts
    # False: this process gives ids (LocalStore); True: the store does, as it writes
    # (SharedStore, whose changes are announced from its shared log).
    assigns_ids: bool

    @property
    def last_id(self) -> int:
        """The highest id announced (or being announced): where a websocket's live messages
        start. A durable engine's ids count once committed."""
    def __len__(self) -> int: ...
    def original_of(self, dedupe_key: str) -> int | None: ...
    def get(self, request_id: int) -> CapturedRequest | None: ...
    def replace(self, record: CapturedRequest) -> bool: ...
    def delete(self, request_id: int) -> bool: ...
    def clear(self) -> None: ...
    def after(self, after_id: int, limit: int = 1_000_000) -> list[CapturedRequest]: ...
    def newest(self, limit: int, before: int | None = None) -> list[CapturedRequest]:
        """The newest `limit` records (with ids below `before`), ascending."""
    def durable(self) -> asyncio.Future[None] | None:
        """None when everything written is already durable, else what resolves once it is,
        or fails with StoreBusy when the store could not keep it (then nothing of it is)."""
    def health(self) -> dict[str, object]:
        """`{"engine", "state": "ok" | "unreachable" | "draining", "queued"}` (SPEC 11)."""
    def swap_meta(self, key: str, value: str) -> str | None:
        """Keep `value` under `key` with the history; the value it replaces, if any."""
    def scan(self, query: Node, now: float, window: Window, load: bool = True
             ) -> Iterator[Found | None]:
        """Every stored match (SPEC 12) within the window, in its order (newest first with
        `newest`; the caller stops at the limit), with its record unless not `load`; None
        after each bounded piece of work that found nothing. The caller may let the event
        loop run between any two items: each piece reads the store as it is then."""
    def search(self, query: Node, now: float, window: Window | None = None
               ) -> list[CapturedRequest]:
        """The stored records that match (SPEC 12), ascending, within the window, at once
        (`search_sliced` is how the loop's own callers ask)."""
    def count(self, query: Node, now: float) -> int:
        """How many stored records match, at once."""
    async def close(self) -> None: ...


class LocalStore(Store, Protocol):
    """An engine this process alone writes: ids are given here, changes take effect at once."""

    def next_id(self) -> int: ...
    def add(self, record: CapturedRequest, dedupe_key: str | None = None) -> list[int]:
        """Store a record and return the ids evicted to make room for it. With a dedupe key,
        the caller has looked its original up (`record.duplicate_of`, from `original_of`):
        a record with none becomes the key's original."""


class SharedStore(Store, Protocol):
    """An engine several instances write (Redis): the store gives ids as it writes, and
    every change, this instance's own included, is announced as it comes back from the log."""

    announce: Announce

    def submit(self, record: CapturedRequest, dedupe_key: str | None,
               numbered: bool) -> asyncio.Future[CapturedRequest | None]:
        """The stored record once written (None while the store is away and the record
        waits); `numbered`: the record's response body is `numbered_body(id)`."""

    async def drained(self) -> None:
        """Once every change made so far is written (or the store is away)."""

    async def claim(self, name: str, lease_s: float) -> bool:
        """This instance's claim on `name` (taken, or renewed) for `lease_s`; False while
        another instance holds it: one instance acts for all (a route's held queue)."""


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


def select(scanned: Iterator[Found | None], window: Window) -> list[CapturedRequest]:
    """The first `window.limit` matches of a scan, ascending, at once."""
    found = itertools.islice((item for item in scanned if item is not None), window.limit)
    return _records(found, window)


def count_found(scanned: Iterator[Found | None]) -> int:
    return sum(1 for item in scanned if item is not None)


T = TypeVar("T")


async def gathered(items: Iterator[T | None], limit: int | None = None) -> list[T]:
    """The items (the first `limit`), giving the event loop its turn every steps.SLICE_S."""
    found: list[T] = []
    async for item in turns(items):
        if item is not None:
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
