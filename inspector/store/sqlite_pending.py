"""The SQLite engine's writes not yet committed: this turn's statements, what reads must see
of them, and what memory held before them, put back if their commit fails (a failed commit
leaves nothing behind, SPEC 11); and their commit, once per turn."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sqlite3

from ..captured import CapturedRequest
from .protocol import Change, StoreBusy

Write = tuple[str, tuple[object, ...]]
BUSY = "the history store cannot write now"  # to senders: the cause is for stderr, /healthz


class Pending:
    """One turn's writes, committed together (a new Pending takes the next turn's)."""

    def __init__(self) -> None:
        self.writes: list[Write] = []
        # What reads see before the commit: id -> record (None once deleted), whether the
        # history was cleared, and the first id given each dedupe key.
        self.records: dict[int, CapturedRequest | None] = {}
        self.cleared = False
        self.keys: dict[str, int] = {}
        # Before this turn: each touched id's stored size (None: not stored), each meta value.
        self.sizes_before: dict[int, int | None] = {}
        self.meta_before: dict[str, str | None] = {}
        self.heard: list[tuple[str, Change]] = []  # the changes, announced once committed
        self.committed: asyncio.Future[None] | None = None

    def write(self, sql: str, parameters: tuple[object, ...]) -> bool:
        """Queue a statement; True for the turn's first (its commit is to be scheduled)."""
        self.writes.append((sql, parameters))
        return len(self.writes) == 1

    def remember(self, request_id: int, record: CapturedRequest | None,
                 size_before: int | None) -> None:
        self.records.pop(request_id, None)  # keep write order: newest last
        self.records[request_id] = record
        self.sizes_before.setdefault(request_id, size_before)

    def clear(self, sizes: dict[int, int]) -> None:
        for request_id, size in sizes.items():
            self.sizes_before.setdefault(request_id, size)
        self.records.clear()
        self.keys.clear()
        self.cleared = True

    def settle(self, failed: bool) -> None:
        """Tell whoever waits for this commit how it went: a failure is StoreBusy (the
        sender is told to come back; nothing of the turn was kept). Its cause is said on
        stderr and /healthz."""
        committed = self.committed
        if committed is None or committed.done():
            return
        if not failed:
            committed.set_result(None)
            return
        committed.set_exception(StoreBusy(BUSY))
        committed.exception()  # retrieved: a failure nobody awaits is no error of the loop's


def restored_sizes(sizes: dict[int, int], failed: Pending) -> dict[int, int]:
    """The ids and sizes stored before a failed turn, in ascending order (oldest first, as
    eviction reads them): `sizes` put back, or a sorted copy when ids come back."""
    reordered = False
    for request_id, before in failed.sizes_before.items():
        if before is None:
            sizes.pop(request_id, None)
        else:
            reordered = reordered or request_id not in sizes
            sizes[request_id] = before
    return dict(sorted(sizes.items())) if reordered else sizes


class Writes:
    """Each turn's writes (its Pending), committed together at its end in one transaction or
    not at all (group commit, on the loop's own thread: a commit in WAL mode without fsync
    costs less than handing work to another thread and back)."""

    def __init__(self, db: sqlite3.Connection, loop: asyncio.AbstractEventLoop,
                 shown_id: int) -> None:
        self.pending = Pending()
        self.shown_id = shown_id  # the highest id committed, and so announced
        self._db = db
        self._loop = loop

    def durable(self) -> asyncio.Future[None] | None:
        """The future of this turn's commit; None when nothing waits to be committed."""
        pending = self.pending  # asked for at each change announced: kept short
        if not pending.writes:
            return None
        return pending.committed if pending.committed is not None else self._future(pending)

    def take(self) -> Pending:
        """This turn's writes, to commit now; what is written next goes to the next turn."""
        batch, self.pending = self.pending, Pending()
        self._future(batch)
        return batch

    def execute(self, writes: list[Write]) -> sqlite3.Error | None:
        """The writes in one transaction (runs of the same statement in one call); the
        error that rolled them back, if any."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            for sql, run in itertools.groupby(writes, key=lambda write: write[0]):
                self._db.executemany(sql, [parameters for _, parameters in run])
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            return error
        return None

    def _future(self, batch: Pending) -> asyncio.Future[None]:
        if batch.committed is None:
            batch.committed = self._loop.create_future()
        return batch.committed

    def committed(self, batch: Pending) -> list[tuple[str, Change]]:
        """The batch is committed: its ids are shown (before anything of it is announced: a
        websocket opened in between takes its backlog only up to what is announced), and
        its changes are to be announced."""
        if batch.records:
            self.shown_id = max(self.shown_id, max(batch.records))
        return batch.heard
