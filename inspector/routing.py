"""Routes (SPEC 14): which app a captured request goes to, chosen by the search language.

Each route's match is parsed once, at start, into a predicate (query/evaluate.py): choosing a
route costs a predicate call per route, never a search. A match that reads a detailed verdict
not made yet (`finding:` on a large deviating payload) asks for it instead (Wanted): the
receiver has it made apart from the loop, then chooses (SPEC 3). Origins are fixed here, as
--forward's.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from .captured import CapturedRequest
from .client import Client
from .config import DROP, ConfigError, RouteSpec
from .conformance.judged import Judge
from .models import Replay
from .outbound import Upstream, without_hop_by_hop
from .query.evaluate import Tester
from .query.parse import QueryError, parse
from .query.wanted import Wanted
from .replay import ReplayPlan, send_replay
from .urls import password_hidden


@dataclass(frozen=True)
class Route:
    index: int
    spec: RouteSpec
    tester: Tester  # `first`: the match, or the verdict it needs made; `patient` makes it
    upstream: Upstream | None  # None: a drop route
    mirrors: tuple[Upstream, ...]
    taken: tuple[int, str]  # what a request it takes keeps (DETAIL's `route`): a password hidden

    @property
    def shown_to(self) -> str:
        return self.taken[1]


def compile_routes(specs: Sequence[RouteSpec], judge: Judge,
                   now: float | None = None) -> tuple[Route, ...]:
    """Every route with its match parsed (`schema:` and `finding:` read the inspector's
    judge); a match that does not parse is a ConfigError that names the route (checked at
    start: exit 2)."""
    routes = []
    for index, spec in enumerate(specs):
        try:
            node = parse(spec.match)
        except QueryError as error:
            raise ConfigError(f"{spec.where or f'route #{index}'}: invalid match "
                              f"{spec.match!r}: {error}") from None
        upstream = None if spec.to == DROP else Upstream.parse(spec.to)
        routes.append(Route(index, spec, Tester(node, time.time() if now is None else now, judge),
                            upstream, tuple(Upstream.parse(url) for url in spec.also),
                            (index, password_hidden(spec.to))))
    return tuple(routes)


def choose(routes: Sequence[Route], record: CapturedRequest) -> Route | Wanted | None:
    """The first route whose match finds the request; None when none does; Wanted when a
    match must read a verdict made in the worker process before it can say (`chosen` then):
    every other verdict a match reads is made here, as a summary's status is."""
    for route in routes:
        found = route.tester.first(record)
        if isinstance(found, Wanted):
            if found.judge.made_apart(record):
                return found
            found = route.tester.patient(record)  # made here: small, or without a finding
        if found:
            return route
    return None


async def chosen(routes: Sequence[Route], wanted: Wanted) -> Route | None:
    """`choose`'s answer once the verdict it wanted is made (in the worker process when the
    payload is large: Judge.detailed)."""
    await wanted.made()
    record = wanted.record
    return next((route for route in routes if route.tester.patient(record)), None)


def routes_json(routes: Sequence[Route]) -> list[dict[str, object]]:
    """GET /api/routes, less the queues (passwords hidden)."""
    return [{"index": route.index, "match": route.spec.match, "to": route.shown_to,
             "also": [password_hidden(url) for url in route.spec.also],
             "hold": route.spec.hold} for route in routes]


async def mirror(session: Client, route: Route, record: CapturedRequest,
                 timeout: float) -> tuple[Replay, ...]:
    """The same bytes to each of the route's mirrors at once; what each answered (or why it
    did not), in the order the mirrors are listed."""
    headers = without_hop_by_hop(record.headers)
    plans = [ReplayPlan(record.method, str(upstream.url(record.path, record.query)), headers,
                        record.body) for upstream in route.mirrors]
    sent = await asyncio.gather(*(send_replay(session, plan, timeout, ()) for plan in plans))
    return tuple(sent)


def skipped(route: Route, in_flight: int) -> tuple[Replay, ...]:
    """What a request's mirrors are said to have answered when its copies were not sent."""
    why = f"not sent: {in_flight} copies to mirrors were still in flight"
    return tuple(Replay(at=time.time(), target=password_hidden(str(upstream.origin)),
                        method="", status=None, headers=(), body=b"", duration_ms=0.0,
                        error=why) for upstream in route.mirrors)
