"""The SQLite engine's outages: a commit that fails (a full disk, an I/O error) or the file
deleted or replaced under the running process is a state with a way back (SPEC 11).

While it lasts, new requests are refused before they get an id (503 with Retry-After), the
state and its cause are on /healthz and said once on stderr, and every RETRY_S the store
tries a write: it is `ok` again by itself as soon as one succeeds. A file gone is back when
the same file is at its path again (moved back); else a restart opens what is there then.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Literal, TextIO

from .sqlite_file import Identity, disk_full, identity

# While writes fail, one is tried this often; while they succeed, the file at the path is
# compared with the one open this often too (a stat: a few microseconds).
RETRY_S = 0.5
# On a full disk a small write may pass and the next fail: the outage is said to be over
# (on stderr) only once writes have succeeded this long, so it is said once, not each time.
SETTLED_S = 2.0
State = Literal["ok", "failing", "gone"]


def write_failure(path: Path, error: sqlite3.Error) -> str:
    """Why a commit failed, in words for stderr and /healthz."""
    if disk_full(path, error):
        return f"the disk holding {path} is full"
    return f"{path} cannot be written ({error})"


class Outage:
    """Whether the store can write now, why not, and what stderr was told."""

    def __init__(self, path: Path, opened: Identity, err: TextIO) -> None:
        self.path = path
        self._where = os.fspath(path)  # stat at each commit: no Path to convert each time
        self.state: State = "ok"
        self.cause: str | None = None
        self._opened = opened
        self._err = err
        self._said: str | None = None  # the cause stderr was told of, until it is over
        self._fine_since = 0.0

    def gone(self) -> str | None:
        """Why the path no longer names the file open (deleted, or replaced); None while
        it does. Said when it is found."""
        now = identity(self._where)
        if now == self._opened:
            return None
        what = "deleted or moved" if now is None else "replaced by another file"
        cause = f"{self.path} was {what}"
        self._trouble("gone", cause)
        return cause

    def _trouble(self, state: State, cause: str) -> None:
        if cause != self._said:
            then = ("nothing is written until that file is back there or the inspector "
                    "restarts" if state == "gone" else "requests are answered 503 until a "
                    "write succeeds")
            self._say(f"{cause}: {then}")
            self._said = cause
        self.state, self.cause = state, cause

    def failed(self, error: sqlite3.Error) -> None:
        self._trouble("failing", write_failure(self.path, error))

    def fine(self, now: float) -> None:
        if self.state != "ok":
            self._fine_since = now
        self.state, self.cause = "ok", None

    def settle(self, now: float, settled_s: float = SETTLED_S) -> None:
        """Writes have succeeded for `settled_s` since the trouble was said: it is over."""
        if self._said is not None and self.state == "ok" and \
                now - self._fine_since >= settled_s:
            self._say(f"{self.path} is written again")
            self._said = None

    def health(self) -> dict[str, object]:
        """The state, and its cause when it is not ok (a file gone is found now, not up to
        RETRY_S later)."""
        self.gone()
        found: dict[str, object] = {"state": self.state}
        if self.cause is not None:
            found["cause"] = self.cause
        return found

    def _say(self, line: str) -> None:
        print(f"webhook-inspector: {line}", file=self._err, flush=True)
