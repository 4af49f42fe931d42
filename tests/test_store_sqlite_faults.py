"""SQLite under real faults (SPEC 11, "Faults every engine survives"), each with a real
process: a full disk (a 2 MiB tmpfs), a file that cannot be written (immutable, read-only to
a non-root user, on a read-only filesystem, at a path that cannot be created) and the file
deleted or replaced under the running inspector. Root is needed to mount, to make a file
immutable and to become another user; CI runs as root."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from .cli_process import Running, command, start
from .conftest import AppsFactory, eventually
from .upstream import Upstream, sign

ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="needs root: mounts a tmpfs, sets chattr +i "
                                                 "or becomes another user (CI runs as root)")
SIDE_FILES = ("-wal", "-shm", "-journal")
BODY = b'{"pad": "' + b"x" * 1500 + b'"}'


def serve(directory: Path, *extra: str, name: str = "history.db") -> Running:
    return start("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", "--store", f"sqlite:{name}",
                 *extra, cwd=directory)


class Sender:
    """One keep-alive connection to the hooks listener; every answer with its status."""

    def __init__(self, running: Running) -> None:
        split = urlsplit(running.hook_url)
        self.connection = http.client.HTTPConnection(split.hostname or "", split.port,
                                                     timeout=5)

    def post(self, path: str, body: bytes = BODY) -> tuple[int, dict[str, Any], str | None]:
        self.connection.request("POST", path, body=body)
        answer = self.connection.getresponse()
        return answer.status, json.loads(answer.read()), answer.getheader("Retry-After")

    def close(self) -> None:
        self.connection.close()


class Page:
    """What a page's websocket is told, read in a thread from the start."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def told(self, kind: str) -> list[int]:
        """The ids announced as requests, or deleted, in order."""
        if kind == "request":
            return [m["request"]["id"] for m in self.messages if m["type"] == "request"]
        return [i for m in self.messages if m["type"] == kind for i in m["ids"]]

    def read(self, ws: ClientConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            for message in ws:
                self.messages.append(json.loads(message))


@contextlib.contextmanager
def watching(running: Running) -> Iterator[Page]:
    page = Page()
    with connect(running.ui_url.replace("http://", "ws://") + "/ws?after=0") as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "hello"
        reader = threading.Thread(target=page.read, args=(ws,))
        reader.start()
        try:
            yield page
        finally:
            ws.close()
            reader.join(5)


def health(running: Running) -> tuple[int, dict[str, Any]]:
    return ask(running, "GET", "/healthz")


def ask(running: Running, method: str, path: str) -> tuple[int, dict[str, Any]]:
    """An answer of the inspector listener, whatever its status."""
    split = urlsplit(running.ui_url)
    connection = http.client.HTTPConnection(split.hostname or "", split.port, timeout=5)
    try:
        connection.request(method, path)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read() or b"{}")
    finally:
        connection.close()


def listed(running: Running) -> tuple[int, list[int]]:
    """The count the API gives and the ids it lists."""
    found = running.api("/api/requests?limit=100000")
    return found["count"], sorted(request["id"] for request in found["requests"])


def found(running: Running, request_id: int) -> bool:
    try:
        running.api(f"/api/requests/{request_id}")
    except OSError:  # urllib's HTTPError (a 404) is one
        return False
    return True


def stored_ids(path: Path, elsewhere: Path) -> list[int]:
    """The ids in the file, read from a copy (with its write-ahead log) made elsewhere: on a
    full disk SQLite cannot even read (it needs room for a -shm file)."""
    elsewhere.mkdir()
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            shutil.copy(file, elsewhere / file.name)
    with sqlite3.connect(elsewhere / path.name) as reader:
        ids = [row[0] for row in reader.execute("SELECT id FROM requests ORDER BY id")]
    reader.close()
    return ids


def listing(directory: Path) -> dict[str, bytes]:
    return {entry.name: entry.read_bytes() for entry in directory.iterdir() if entry.is_file()}


def fill(path: Path) -> None:
    """Write to `path` until the filesystem holding it has no space left."""
    with path.open("ab", buffering=0) as ballast, contextlib.suppress(OSError):
        while True:
            ballast.write(b"\0" * 4096)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MiB filesystem, unmounted whatever the test does."""
    if not ROOT:
        pytest.skip("needs root to mount a 2 MiB tmpfs (a real full disk); CI runs as root")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=True)


def stopped(running: Running) -> str:
    """Stop the inspector (it exits 0); what it said on stderr."""
    running.process.send_signal(signal.SIGINT)
    _, err = running.process.communicate(timeout=10)
    assert running.process.returncode == 0, err
    return err


async def holds(condition: Callable[[], bool]) -> None:
    async def now() -> bool:
        return condition()

    await eventually(now, 10.0)


@pytest.mark.parametrize("max_requests", [1000, 50])  # the disk fills before, after the bound
async def test_a_full_disk_is_an_outage_that_leaves_nothing_behind(
        small_disk: Path, tmp_path: Path, max_requests: int) -> None:
    ballast = small_disk / "ballast"
    ballast.write_bytes(b"\0" * 1024 * 1024)
    running = serve(small_disk, "--max-requests", str(max_requests))
    sender = Sender(running)
    answered: list[int] = []
    try:
        with watching(running) as page:
            for number in range(1500):
                status, body, retry_after = sender.post(f"/fill/{number}")
                if status == 200:
                    answered.append(body["id"])
                else:  # never a 502, never a hang: told to come back
                    assert (status, retry_after) == (503, "1"), body
            assert 50 < len(answered) < 1500  # the disk did fill
            status, state = health(running)
            assert status == 503 and state["store"]["state"] == "failing"
            assert "full" in state["store"]["cause"]
            kept = answered[-max_requests:]  # nothing answered hidden, nothing else counted
            assert listed(running) == (len(kept), kept)
            assert all(found(running, request_id) for request_id in kept)

            ballast.unlink()  # space is freed: ok again by itself, with no request to try
            await holds(lambda: health(running)[0] == 200)
            for number in range(20):
                status, body, _ = sender.post(f"/after/{number}")
                assert status == 200
                answered.append(body["id"])
            kept = answered[-max_requests:]
            assert listed(running) == (len(kept), kept)
            # The page was told of what is stored, never of a request whose commit failed.
            await holds(lambda: answered[-1] in page.told("request"))
            assert page.told("request") == answered
            assert page.told("delete") == answered[:-max_requests]
    finally:
        sender.close()
        err = stopped(running)
    lines = err.splitlines()
    assert len(lines) == 2 and "full" in lines[0] and "written again" in lines[1], err
    assert stored_ids(small_disk / "history.db", tmp_path / "copy") == kept


# Root imports the package and reads its bundled data (the conformance schemas), as a user
# reads their own install, then becomes nobody: the installed files may be in root's home.
AS_NOBODY = ("import os, sys; import inspector.cli; from inspector.conformance.loading import "
             "catalogue_for; catalogue_for(()); os.setgroups([]); os.setgid(65534); "
             "os.setuid(65534); raise SystemExit(inspector.cli.main())")
SERVE = ("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0")


def refused(directory: Path, store: str, as_nobody: bool = False) -> str:
    """Start on `store`: it must stop at once, exit 2, with one line; that line. As nobody,
    the interpreter drops root after importing (it could not read its own files after)."""
    argv = [sys.executable, "-c", AS_NOBODY] if as_nobody else command()
    result = subprocess.run([*argv, *SERVE, "--store", store], cwd=directory,
                            capture_output=True, text=True, timeout=15)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


async def made(path: Path) -> None:
    """A store file with one request in it, as a run leaves it."""
    running = serve(path.parent, name=path.name)
    try:
        running.post("/kept")
    finally:
        stopped(running)


@pytest.fixture
def nobodys(tmp_path: Path) -> Iterator[Path]:
    """A directory the user nobody owns, on a path nobody can reach (tmp_path is root's)."""
    if not ROOT:
        pytest.skip("needs root to run the inspector as another user; CI runs as root")
    directory = Path(tempfile.mkdtemp(prefix="inspector-nobody-"))
    directory.chmod(0o755)
    os.chown(directory, 65534, 65534)
    try:
        yield directory
    finally:
        shutil.rmtree(directory)


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[list[Path]]:
    """Files made immutable by the test (chattr +i) are made mutable again after it."""
    if not ROOT:
        pytest.skip("needs root for chattr +i; CI runs as root")
    made_immutable: list[Path] = []
    yield made_immutable
    for path in made_immutable:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@needs_root
async def test_an_immutable_file_is_refused_in_one_line_untouched(
        tmp_path: Path, immutable: list[Path]) -> None:
    path = tmp_path / "history.db"
    await made(path)
    subprocess.run(["chattr", "+i", str(path)], check=True)
    immutable.append(path)
    before = listing(tmp_path)
    line = refused(tmp_path, "sqlite:history.db")
    assert "history.db: cannot be written (Operation not permitted)" in line
    assert listing(tmp_path) == before  # nothing written, no -wal or -shm


async def test_a_read_only_file_is_refused_to_a_user_who_cannot_write_it(nobodys: Path) -> None:
    path = nobodys / "history.db"
    await made(path)
    os.chown(path, 65534, 65534)
    path.chmod(0o444)
    before = listing(nobodys)
    line = refused(nobodys, "sqlite:history.db", as_nobody=True)
    assert "history.db: cannot be written (Permission denied)" in line
    assert listing(nobodys) == before


async def test_a_file_that_cannot_be_created_or_whose_directory_is_read_only_is_refused(
        nobodys: Path) -> None:
    kept_apart = nobodys / "root's"  # a directory nobody may read but not write
    kept_apart.mkdir(mode=0o755)
    line = refused(kept_apart, "sqlite:history.db", as_nobody=True)
    assert "history.db: cannot be created (Permission denied)" in line
    await made(kept_apart / "history.db")
    os.chown(kept_apart / "history.db", 65534, 65534)  # the file is nobody's, not its directory
    before = listing(kept_apart)
    line = refused(kept_apart, "sqlite:history.db", as_nobody=True)
    assert "history.db: its directory cannot be written" in line
    assert listing(kept_apart) == before
    line = refused(nobodys, "sqlite:/proc/x.db")
    assert "/proc/x.db: cannot be created" in line


@needs_root
async def test_a_file_on_a_read_only_filesystem_is_refused(small_disk: Path) -> None:
    await made(small_disk / "history.db")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    before = listing(small_disk)
    line = refused(small_disk, "sqlite:history.db")
    assert "history.db: cannot be written (Read-only file system)" in line
    assert listing(small_disk) == before


async def test_a_corrupt_file_is_refused_without_side_files(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    await made(path)
    damaged = bytearray(path.read_bytes())
    damaged[100:4096] = b"\x13" * (4096 - 100)  # the first page's b-tree, after the header
    path.write_bytes(bytes(damaged))
    line = refused(tmp_path, "sqlite:history.db")
    assert "history.db: not a usable SQLite database" in line
    assert listing(tmp_path) == {"history.db": bytes(damaged)}


async def test_a_restart_on_a_full_disk_says_so_and_leaves_nothing(small_disk: Path) -> None:
    await made(small_disk / "history.db")
    fill(small_disk / "ballast")
    before = listing(small_disk)
    line = refused(small_disk, "sqlite:history.db")
    assert "history.db: the disk is full" in line
    assert listing(small_disk) == before


async def test_a_file_deleted_moved_or_replaced_under_the_inspector_is_said_and_not_written(
        tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    running = serve(tmp_path)
    sender = Sender(running)

    def refused_while(cause: str) -> None:
        status, body, retry_after = sender.post("/lost-if-answered")
        assert (status, retry_after) == (503, "1"), body
        status, state = health(running)
        assert status == 503 and state["store"]["state"] == "gone"
        assert state["store"]["cause"] == f"history.db was {cause}"

    try:
        first = sender.post("/before")[1]["id"]
        path.rename(tmp_path / "moved.db")
        refused_while("deleted or moved")
        assert ask(running, "DELETE", f"/api/requests/{first}")[0] == 503  # not done
        assert listed(running) == (1, [first])
        (tmp_path / "moved.db").rename(path)  # the same file back: ok again by itself
        await holds(lambda: health(running)[0] == 200)
        second = sender.post("/after-it-came-back")[1]["id"]
        assert second > first and listed(running) == (2, [first, second])
        shutil.copy(path, tmp_path / "copy.db")
        (tmp_path / "copy.db").replace(path)
        refused_while("replaced by another file")
        path.unlink()
        refused_while("deleted or moved")
        assert listed(running) == (2, [first, second])  # the history open is still read
    finally:
        sender.close()
        err = stopped(running)
    said = [line for line in err.splitlines() if "history.db was" in line]
    assert said == [f"webhook-inspector: history.db was {cause}: nothing is written until that "
                    "file is back there or the inspector restarts"
                    for cause in ("deleted or moved", "replaced by another file",
                                  "deleted or moved")]
    again = serve(tmp_path)  # a restart opens what is at the path now: a new history
    try:
        assert listed(again) == (0, [])
    finally:
        stopped(again)


async def test_a_request_whose_commit_fails_is_not_forwarded(
        make_apps: AppsFactory, aiohttp_server: Any, tmp_path: Path) -> None:
    upstream = Upstream()
    app = await aiohttp_server(upstream.app())
    apps = await make_apps(store=f"sqlite:{tmp_path / 'history.db'}",
                           forward=f"http://127.0.0.1:{app.port}")
    assert (await apps.hooks.post("/kept", data=b"{}", headers=sign(b"{}"))).status == 200
    (tmp_path / "history.db").rename(tmp_path / "away.db")  # noticed as it commits
    refused_answer = await apps.hooks.post("/lost", data=b"{}", headers=sign(b"{}"))
    assert (refused_answer.status, refused_answer.headers["Retry-After"]) == (503, "1")
    assert [seen.path_qs for seen in upstream.seen] == ["/kept"]  # committed, then forwarded
    assert [record.path for record in apps.inspector.store.after(0)] == ["/kept"]
