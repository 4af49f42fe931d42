"""`webhook-inspector import FILE.har`: load a HAR file's requests into a running inspector."""

from __future__ import annotations

import argparse
import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ..config import ConfigError
from . import DEFAULT_UI_URL
from .arguments import bearer_token, inspector_url


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.har", help="from browser DevTools, mitmproxy, "
                        "or this inspector's export")
    parser.add_argument("--ui", default=DEFAULT_UI_URL, type=inspector_url, metavar="URL",
                        help="the inspector's URL")
    parser.add_argument("--token", type=bearer_token, metavar="TOKEN",
                        help="the server's --ui-token, if it has one")


def post(ui: str, token: str | None, document: BinaryIO, size: int) -> Any:
    """The inspector's answer; ConfigError with its reason when it refuses or is away. The
    document is sent as it is read, never held whole."""
    request = urllib.request.Request(
        f"{ui.rstrip('/')}/api/import", method="POST", data=document, headers={
            "Content-Type": "application/json", "Content-Length": str(size),
            **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            reason = json.loads(error.read()).get("error", error.reason)
        except ValueError:
            reason = f"{error.code} {error.reason}"
        raise ConfigError(f"import: the inspector refused it: {reason}") from None
    except (urllib.error.URLError, OSError) as error:
        raise ConfigError(f"import: cannot reach the inspector at {ui}: {error}") from None


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        with Path(args.file).open("rb") as document:
            ids = post(args.ui, args.token, document, os.fstat(document.fileno()).st_size)["ids"]
    except OSError as error:
        raise ConfigError(f"import: cannot read {args.file}: {error.strerror}") from None
    shown = ", ".join(f"#{i}" if i is not None else "(queued)" for i in ids)
    print(f"imported {len(ids)} request(s) from {args.file}" + (f": {shown}" if ids else ""),
          file=out)
    return 0
