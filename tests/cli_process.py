"""Running the real CLI as a subprocess, for tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

START_TIMEOUT_S = 15


@dataclass
class Running:
    process: subprocess.Popen[str]
    hook_url: str
    ui_url: str

    def post(self, path: str, body: bytes = b"{}", headers: dict[str, str] | None = None) -> Any:
        request = urllib.request.Request(self.hook_url + path, data=body, method="POST",
                                         headers=headers or {})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def open(self, path: str) -> Any:
        """An answer of the inspector listener, to read as bytes."""
        return urllib.request.urlopen(self.ui_url + path, timeout=5)

    def api(self, path: str) -> Any:
        with urllib.request.urlopen(self.ui_url + path, timeout=5) as response:
            return json.loads(response.read())

    def pause(self) -> None:
        """SIGSTOP: the process holds its sockets but runs nothing until `resume`."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self, signum: int = signal.SIGINT) -> int:
        self.process.send_signal(signum)
        code = self.process.wait(timeout=10)
        close(self.process)
        return code


def close(process: subprocess.Popen[str]) -> None:
    """Kill the process if it still runs, and close its pipes."""
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "inspector", *args]


def start(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Running:
    process = subprocess.Popen(
        command(*args), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    second = process.stdout.readline()
    if not first.startswith("Webhooks  "):
        process.kill()
        error = process.stderr.read() if process.stderr else ""
        close(process)
        raise AssertionError(f"unexpected start: {first!r} {error!r}")
    assert second.startswith("Inspector ")
    return Running(process, first.split()[1], second.split()[1])


def run(*args: str, cwd: Path, timeout: float = 15) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args), cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)
