"""Reproducing captured requests elsewhere: a shell-safe cURL command (HAR comes with replay)."""

from __future__ import annotations

import shlex

from .models import CapturedRequest

# Framing headers describe the original connection; curl sets its own.
_SKIPPED_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


def printf_escaped(body: bytes) -> str:
    """A printf format that writes exactly these bytes (octal escapes, POSIX printf)."""
    pieces = []
    for byte in body:
        char = chr(byte)
        if 0x20 <= byte < 0x7F and char not in "\\%'":
            pieces.append(char)
        else:
            pieces.append(f"\\{byte:03o}")
    return "".join(pieces)


def curl_command(record: CapturedRequest, base_url: str) -> str:
    """A command that sends the same method, path, query, headers and body bytes to base_url."""
    url = base_url.rstrip("/") + record.path + (f"?{record.query}" if record.query else "")
    parts = ["curl", "-sS", "-X", shlex.quote(record.method), shlex.quote(url)]
    for name, value in record.headers:
        if name.lower() not in _SKIPPED_HEADERS:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
    if not record.body:
        return " ".join(parts)
    try:
        text = record.body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text:
        return " ".join([*parts, "--data-binary", shlex.quote(text)])
    command = " ".join([*parts, "--data-binary", "@-"])
    return f"printf '{printf_escaped(record.body)}' | {command}"
