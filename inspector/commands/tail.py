"""`webhook-inspector tail`: the live stream in a terminal, resuming across reconnects."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from typing import Any, TextIO
from urllib.parse import urlencode

import aiohttp

from ..config import ConfigError
from ..query import QueryError, parse
from . import DEFAULT_UI_URL
from .arguments import bearer_token, inspector_url
from .tail_lines import body_line, first_error, format_line, terminal_safe, worst_reason

RECONNECT_DELAY_S = 0.5
DETAIL_TIMEOUT_S = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ui", default=DEFAULT_UI_URL, type=inspector_url, metavar="URL")
    parser.add_argument("--json", action="store_true",
                        help="one SUMMARY JSON object per line, again on each update")
    parser.add_argument("--token", type=bearer_token, metavar="TOKEN",
                        help="the server's --ui-token, if it has one")
    parser.add_argument("--filter", metavar="QUERY", default="",
                        help="only the requests that match (the search language of the UI)")
    parser.add_argument("--follow-body", action="store_true",
                        help="after each line, its body on one line (JSON compacted, long "
                             "bodies cut)")


def checked_query(text: str, flag: str) -> str:
    """The query as given, once it parses; else the parser's words, naming the flag."""
    try:
        parse(text)
    except QueryError as problem:
        raise ConfigError(f"{flag}: {problem}") from None
    return text


def run(args: argparse.Namespace, out: TextIO) -> int:
    query = checked_query(args.filter, "--filter")
    with contextlib.suppress(KeyboardInterrupt):
        try:
            asyncio.run(Tail(args.ui, args.json, out, args.token, query,
                             follow_body=args.follow_body).run())
        except TailError as error:
            raise ConfigError(str(error)) from None
    return 0


class TailError(Exception):
    """The first connection failed: nothing to resume, so say why and stop."""


def say(text: str, stream: TextIO) -> None:
    """Everything tail prints goes through here: what requests and the server carry can only
    be read, never act on the terminal (SPEC 8)."""
    print(terminal_safe(text), file=stream, flush=True)


def http_base(ui_url: str) -> str:
    """The inspector's URL without a trailing slash; a URL without a scheme is taken as http."""
    base = ui_url.rstrip("/")
    return base if "://" in base else "http://" + base


def websocket_url(ui_url: str) -> str:
    """`ws(s)://…/ws` for the inspector's URL."""
    base = http_base(ui_url)
    if base.startswith("https://"):
        return "wss://" + base[len("https://"):] + "/ws"
    if base.startswith("http://"):
        return "ws://" + base[len("http://"):] + "/ws"
    return base + "/ws"


class Tail:
    def __init__(self, ui_url: str, as_json: bool, out: TextIO, token: str | None = None,
                 query: str = "", follow_body: bool = False) -> None:
        self.url = websocket_url(ui_url)
        self.api = http_base(ui_url) + "/api/requests/"
        self.follow_body = follow_body
        self.query = query
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.as_json = as_json
        self.out = out
        self.instance: str | None = None
        self.last_id: int | None = None
        self.waiting_for_answer: set[int] = set()
        self.session: aiohttp.ClientSession | None = None
        # Filtered, an update may bring a request that only now matches: shown as new.
        self.seen: set[int] = set()
        self.left_queue: set[int] = set()  # held by a route, then delivered or dropped

    async def show(self, kind: str, summary: dict[str, Any]) -> None:
        request_id = summary["id"]
        if self.as_json:  # every change: an update repeats the id with what it learnt
            say(json.dumps(summary), self.out)
            return
        new = kind == "request" or (bool(self.query) and request_id not in self.seen)
        if self.query:
            self.seen.add(request_id)
        if summary["response_status"] is None and summary["error"] is None and \
                not summary.get("imported"):  # an imported request's answer never comes
            if new:
                self.waiting_for_answer.add(request_id)
            return
        held = summary.get("held")
        if held in ("delivered", "dropped") and request_id not in self.left_queue:
            self.left_queue.add(request_id)  # a line again once it leaves its route's queue
            await self.print_line(summary)
            return
        if new or request_id in self.waiting_for_answer:
            self.waiting_for_answer.discard(request_id)
            await self.print_line(summary)

    async def print_line(self, summary: dict[str, Any]) -> None:
        """The line; the detail is fetched only for what the summary lacks (a verdict's reason,
        the body)."""
        wants_reason = summary.get("signature") not in (None, "valid") or \
            summary.get("conformance") == "deviates"
        detail = await self.detail(summary["id"]) if wants_reason or self.follow_body else None
        reason = worst_reason(summary.get("signature"), detail["signatures"]) if detail else None
        finding = first_error(detail.get("conformance")) if detail else None
        say(format_line(summary, reason, finding), self.out)
        body = body_line(detail) if detail and self.follow_body else None
        if body:
            say("    " + body, self.out)

    async def detail(self, request_id: int) -> dict[str, Any] | None:
        """The request's DETAIL, or None once it is gone (deleted, evicted, server away)."""
        assert self.session is not None
        try:
            async with self.session.get(f"{self.api}{request_id}",
                                        timeout=aiohttp.ClientTimeout(DETAIL_TIMEOUT_S)) as answer:
                if answer.status != 200:
                    return None
                found: dict[str, Any] = json.loads(await answer.read())
        except (OSError, aiohttp.ClientError, TimeoutError, ValueError):
            return None
        return found

    async def handle(self, message: dict[str, Any]) -> bool:
        """Act on one message; False when the server restarted and we must resume from 0."""
        kind = message.get("type")
        if kind == "hello":
            if self.instance is None:
                say(f"tail: following {self.url}", sys.stderr)
            restarted = self.instance is not None and message["instance"] != self.instance
            self.instance = message["instance"]
            if restarted:
                self.last_id = 0
                return False
            if self.last_id is None:
                self.last_id = message["last_id"]
        elif kind == "delete":
            self.seen.difference_update(message["ids"])
        elif kind == "clear":  # by a user, or by a store that lost its data (it says why)
            reason = message.get("reason")
            say("tail: the history was cleared" + (f": {reason}" if reason else ""), sys.stderr)
        elif kind in ("request", "update"):
            summary = message["request"]
            await self.show(kind, summary)
            if kind == "request":
                self.last_id = max(self.last_id or 0, summary["id"])
        return True

    async def run_once(self) -> None:
        params = {"q": self.query} if self.query else {}
        if self.last_id is not None:
            params["after"] = str(self.last_id)
        query = "?" + urlencode(params) if params else ""
        assert self.session is not None
        async with self.session.ws_connect(self.url + query, max_msg_size=2**24) as ws:
            async for message in ws:
                if message.type is aiohttp.WSMsgType.TEXT and \
                        not await self.handle(json.loads(message.data)):
                    return

    async def run(self) -> int:
        """Follow the stream; only a stream that was once established is reconnected."""
        async with aiohttp.ClientSession(headers=self.headers) as self.session:
            return await self._follow()

    async def _follow(self) -> int:
        announced = False
        while True:
            try:
                await self.run_once()
                announced = False
            except (OSError, aiohttp.ClientError) as error:
                if self.instance is None:
                    raise TailError(terminal_safe(f"cannot follow {self.url}: {plain(error)}")
                                    ) from None
                if not announced:
                    say(f"tail: {self.url}: {plain(error)}; reconnecting…", sys.stderr)
                    announced = True
            await asyncio.sleep(RECONNECT_DELAY_S)


def plain(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
