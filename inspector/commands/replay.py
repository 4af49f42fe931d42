"""`webhook-inspector replay ID|--query QUERY`: ask a running inspector to replay a stored
request, or every request that matches a query (in id order)."""

from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.request
from typing import Any, TextIO

from ..config import ConfigError
from . import DEFAULT_UI_URL
from .arguments import address_url, bearer_token, inspector_url
from .replay_data import merged_body
from .tail import checked_query

EXCERPT = 200


def excerpt(replay: dict[str, Any]) -> str:
    text = replay.get("body_text")
    if text is None:
        return f"({len(replay.get('body_base64') or '') * 3 // 4} bytes, binary)"
    flat = " ".join(text.split())
    return flat[:EXCERPT] + ("…" if len(flat) > EXCERPT else "")


def succeeded(replay: dict[str, Any]) -> bool:
    return replay["status"] is not None and 200 <= replay["status"] < 300


def show(replay: dict[str, Any], out: TextIO, prefix: str = "") -> None:
    status = replay["status"] if replay["status"] is not None else replay["error"]
    print(f"{prefix}{replay['method']} {replay['target']} → {status} in "
          f"{replay['duration_ms']:.1f} ms", file=out)
    if replay["status"] is not None:
        print(excerpt(replay), file=out)


def post(args: argparse.Namespace, path: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The inspector's JSON answer; RuntimeError with the message to print when refused."""
    request = urllib.request.Request(
        f"{args.ui.rstrip('/')}{path}", method="POST", data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Bearer {args.token}"} if args.token else {})})
    try:
        with urllib.request.urlopen(request, timeout=None if args.query else 60) as response:
            answer: dict[str, Any] = json.loads(response.read())
            return answer
    except urllib.error.HTTPError as error:
        message = json.loads(error.read() or b"{}").get("error", error.reason)
        if message.startswith("no target"):  # the API's words name its field, not the flag
            message = "no target: give --to URL, or start the server with --forward URL"
        raise RuntimeError(message) from None
    except (urllib.error.URLError, OSError) as error:
        raise RuntimeError(f"cannot reach the inspector at {args.ui}: {error}") from None


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Exit 0 when the target answered 2xx (every time), 1 otherwise; 2 when refused."""
    if (args.id is None) == (args.query is None):
        raise ConfigError("replay: give a request ID or --query QUERY (one of them)")
    payload: dict[str, Any] = {"target": args.to} if args.to else {}
    if args.resign:
        payload["resign"] = True
    if args.data is not None:
        if args.query is not None:
            raise ConfigError("replay: --data merges into one request's body: give its ID")
        payload["body"] = merged_body(args.ui, args.token, args.id, args.data)
    try:
        if args.query is None:
            replay = post(args, f"/api/requests/{args.id}/replay", payload)["replay"]
            show(replay, out)
            return 0 if succeeded(replay) else 1
        payload["q"] = checked_query(args.query, "--query")
        results = post(args, "/api/requests/replay", payload)["replays"]
    except RuntimeError as refused:
        print(f"replay: {refused}", file=out)
        return 2
    for result in results:
        if "replay" in result:
            show(result["replay"], out, f"#{result['id']} ")
        else:
            print(f"#{result['id']} not replayed: {result['error']}", file=out)
    print(f"replay: {len(results)} matched, "
          f"{sum(1 for r in results if 'replay' in r and succeeded(r['replay']))} answered 2xx",
          file=out)
    everything_answered = all("replay" in r and succeeded(r["replay"]) for r in results)
    return 0 if results and everything_answered else 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=int, nargs="?", help="the request's id")
    parser.add_argument("--query", metavar="QUERY",
                        help="every request that matches, in id order (the UI's search language)")
    parser.add_argument("--to", type=address_url, metavar="URL",
                        help="base URL, http:// when no scheme is given (default: the "
                             "server's --forward)")
    parser.add_argument("--resign", action="store_true",
                        help="sign again with the provider's configured secret")
    parser.add_argument("--ui", default=DEFAULT_UI_URL, type=inspector_url, metavar="URL",
                        help="the inspector's URL")
    parser.add_argument("--token", type=bearer_token, metavar="TOKEN",
                        help="the server's --ui-token, if it has one")
    parser.add_argument("--data", metavar="JSON|@FILE", help="merged into the stored JSON body")
