"""The SQLite engine's file: checked before it is used, opened and initialised.

Whatever is found under our name is checked (SPEC 11): a file that is not ours, corrupt,
from a newer schema, in use, read-only, immutable, on a read-only filesystem, at a path that
cannot be created, or on a full disk is refused with one line naming it, and refusing leaves
nothing behind: the side files (`-wal`, `-shm`) that SQLite's read-only probe or a failed
open created are removed, and the file too when it was created for nothing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from pathlib import Path

from .sqlite_index import INDEX_SCHEMA

APPLICATION_ID = 0x57484B49  # "WHKI"
SCHEMA_VERSION = 2  # 2: the search index (sqlite_index.py); a version-1 file gains it in place
SCHEMA = """
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    received_at REAL NOT NULL,
    dedupe_key TEXT,
    stored_bytes INTEGER NOT NULL,
    document TEXT NOT NULL,
    header_block BLOB NOT NULL,
    body BLOB NOT NULL,
    trailer_block BLOB NOT NULL
);
CREATE INDEX requests_by_dedupe_key ON requests (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
SIDE_FILES = ("-wal", "-shm")
Identity = tuple[int, int]  # (device, inode): which file a path names


class StoreFileError(Exception):
    """The file cannot be used; the message names it and says why."""


def identity(path: str | Path) -> Identity | None:
    """Which file `path` names now; None when it names none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def open_file(path: Path) -> tuple[sqlite3.Connection, Identity]:
    """The file checked, opened and initialised, and which file it is; StoreFileError, with
    nothing left behind, when it cannot be used."""
    if not path.parent.is_dir():
        raise StoreFileError(f"{path}: the directory {path.parent} does not exist")
    there = _present(path)
    try:
        found = _writable(path, path in there)
        try:
            _check(path)
        finally:
            _remove_new(path, there | {path})  # the read-only probe's side files
        return _connect(path), found
    except StoreFileError:
        _remove_new(path, there)
        raise
    except (OSError, sqlite3.Error) as error:
        _remove_new(path, there)
        raise StoreFileError(_refusal(path, error)) from None


def _check(path: Path) -> None:
    """Refuse a file that is not ours or from a newer schema without changing it (a corrupt
    one fails the read-only probe: sqlite3.Error)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro",
                                            uri=True)) as probe:
        application_id = probe.execute("PRAGMA application_id").fetchone()[0]
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        tables = probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if application_id == APPLICATION_ID:
            probe.execute("SELECT count(*) FROM requests").fetchone()
    if application_id == 0 and tables == 0:
        return  # an empty database: ours to initialise
    if application_id != APPLICATION_ID:
        raise StoreFileError(f"{path}: a SQLite database that webhook-inspector did not write")
    if version > SCHEMA_VERSION:
        raise StoreFileError(f"{path}: written by a newer webhook-inspector (schema {version}, "
                             f"this one reads {SCHEMA_VERSION})")


def _present(path: Path) -> set[Path]:
    return {file for file in (path, *_side_files(path)) if file.exists()}


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDE_FILES]


def _remove_new(path: Path, there: set[Path]) -> None:
    """Remove what opening created: the side files, and the file itself unless kept."""
    for file in (*_side_files(path), path):
        if file not in there and file.exists():
            file.unlink()


def _writable(path: Path, existed: bool) -> Identity:
    """Which file it is, once it is known that it can be opened for writing (created when
    missing) and its directory written (SQLite keeps its write-ahead log beside it)."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        done = "written" if existed else "created"
        raise StoreFileError(f"{path}: cannot be {done} ({error.strerror or error}); the "
                             "store needs a file it can write") from None
    try:
        found = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    if not os.access(path.parent, os.W_OK):
        raise StoreFileError(f"{path}: its directory cannot be written (SQLite keeps "
                             f"{path.name}-wal beside the file)")
    return found.st_dev, found.st_ino


def _refusal(path: Path, error: OSError | sqlite3.Error) -> str:
    """One line naming the file and saying why it cannot be used."""
    if isinstance(error, OSError):
        return f"{path}: cannot be used ({error.strerror or error})"
    code = error.sqlite_errorcode & 0xFF
    if code == sqlite3.SQLITE_BUSY:
        return (f"{path}: in use by another process (a webhook-inspector keeps its file to "
                "itself while it runs)")
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return f"{path}: not a usable SQLite database ({error})"
    if disk_full(path, error):
        return (f"{path}: the disk is full (no space left in {path.parent}); free some and "
                "start again")
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return f"{path}: cannot be written ({error}); the store needs a file it can write"
    return f"{path}: not a usable SQLite database ({error})"


def disk_full(path: Path, error: sqlite3.Error) -> bool:
    """SQLITE_FULL, or an I/O error (growing `-shm` fails so) with no space left."""
    code = error.sqlite_errorcode & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return True
    return code == sqlite3.SQLITE_IOERR and os.statvfs(path.parent).f_bavail == 0


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        # Held until close: a second process could only give the same ids again. Without
        # shared locks, a read right after a commit no longer pays for the locking of shared
        # memory (and the WAL index lives in memory: no `-shm` file).
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")  # a commit survives a process kill
        _initialise(connection)
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def _initialise(connection: sqlite3.Connection) -> None:
    """A new file gets the schema, and an older one the index, in one transaction each (a
    failure, a full disk, leaves the file as it was)."""
    if connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
        if connection.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            connection.executescript(f"BEGIN IMMEDIATE; {INDEX_SCHEMA}; "
                                     f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")
        return
    connection.executescript(
        f"BEGIN IMMEDIATE; {SCHEMA} {INDEX_SCHEMA}; PRAGMA application_id={APPLICATION_ID}; "
        f"PRAGMA user_version={SCHEMA_VERSION}; INSERT INTO meta VALUES "
        f"('instance', '{uuid.uuid4().hex}'), ('last_id', '0'); COMMIT;")
