"""`webhook-inspector replay ID`: ask a running inspector to replay a stored request."""

from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.request
from typing import Any, TextIO

from . import DEFAULT_UI_URL

EXCERPT = 200


def excerpt(replay: dict[str, Any]) -> str:
    text = replay.get("body_text")
    if text is None:
        return f"({len(replay.get('body_base64') or '') * 3 // 4} bytes, binary)"
    flat = " ".join(text.split())
    return flat[:EXCERPT] + ("…" if len(flat) > EXCERPT else "")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Exit 0 when the target answered 2xx, 1 otherwise; 2 when the inspector refused."""
    payload = {"target": args.to} if args.to else {}
    request = urllib.request.Request(
        f"{args.ui.rstrip('/')}/api/requests/{args.id}/replay", method="POST",
        data=json.dumps(payload).encode(), headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {args.token}"} if args.token else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            replay = json.loads(response.read())["replay"]
    except urllib.error.HTTPError as error:
        message = json.loads(error.read() or b"{}").get("error", error.reason)
        if message.startswith("no target"):  # the API's words name its field, not the flag
            message = "no target: give --to URL, or start the server with --forward URL"
        print(f"replay: {message}", file=out)
        return 2
    except (urllib.error.URLError, OSError) as error:
        print(f"replay: cannot reach the inspector at {args.ui}: {error}", file=out)
        return 2
    status = replay["status"] if replay["status"] is not None else replay["error"]
    print(f"{replay['method']} {replay['target']} → {status} in {replay['duration_ms']:.1f} ms",
          file=out)
    if replay["status"] is not None:
        print(excerpt(replay), file=out)
    return 0 if replay["status"] is not None and 200 <= replay["status"] < 300 else 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=int, help="the request's id")
    parser.add_argument("--to", metavar="URL", help="base URL (default: the server's --forward)")
    parser.add_argument("--ui", default=DEFAULT_UI_URL, metavar="URL", help="the inspector's URL")
    parser.add_argument("--token", metavar="TOKEN", help="the server's --ui-token, if it has one")
