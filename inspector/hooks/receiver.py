"""The hooks listener: every method on every path is captured, answered, and never serves the UI.

`receive` is called by a HooksConnection with each complete request; what it returns is
written back to the sender (at once, or when a delay, a forward or a fault rule is done).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from operator import attrgetter
from typing import Any

from ..analysis import delivery_of
from ..answers import Answer, held_body
from ..captured import CapturedRequest, recorded
from ..client import Client
from ..holding import HeldQueue
from ..models import JSON_HEADERS, Arrival, ResponseRecord, error_body, new_tuple, numbered_body
from ..outbound import forward
from ..query.wanted import Wanted
from ..routing import Route, choose, chosen, mirror, skipped
from ..signatures import Headers
from ..state import SharedState
from ..store.protocol import StoreBusy
from ..stored import RETRY_HEADERS, Answering, Stored, retry_later
from .challenges import answer_challenge
from .cycle import Refusal, Refused
from .ordered import Fault, Reply

MIRRORING_AT_MOST = 32  # copies to mirrors in flight at once (the client has 100 connections)
_ANSWERS_HANDSHAKES = attrgetter("answers_handshakes")
FAULT_NOTES = {"hang": "not answered (rule: hang)", "close": "connection closed (rule: close)"}


def target_refused(method: str, path: str) -> Refused | None:
    """Only origin-form targets are served (absolute-form arrives here as its path): a
    CONNECT's authority or an `OPTIONS *` names no resource of ours and is never forwarded."""
    if method == "CONNECT" or not path.startswith("/"):
        return Refused(Refusal.TARGET_NOT_ACCEPTED,
                       f"{Refusal.TARGET_NOT_ACCEPTED.value}: {method} {path[:200]}")
    return None


REFUSAL_STATUS = {Refusal.BODY_TOO_LARGE: 413, Refusal.TRAILERS_TOO_LARGE: 431,
                  Refusal.BUSY: 503, Refusal.INCOMPLETE: 400, Refusal.TARGET_NOT_ACCEPTED: 400}


def refusal(refused: Refused, size: int, limit: int) -> Answer:
    """The listener's own answer to a request it refuses: 413 for a body over --max-body, 431
    for trailers over the head limits, 503 past --max-inflight, 400 for a body that never
    arrived in full or a target not accepted."""
    message = refused.error
    if refused.why is Refusal.BODY_TOO_LARGE:
        message = f"{message}: {size} bytes exceeds --max-body {limit}"
    headers = RETRY_HEADERS if refused.why is Refusal.BUSY else JSON_HEADERS
    return Answer("respond", REFUSAL_STATUS[refused.why], headers, error_body(message), 0)


def since(record: CapturedRequest) -> float:
    """How long it has waited for its answer, in milliseconds."""
    return (time.time() - record.received_at) * 1000


class HooksReceiver:
    """Captures each request and decides its answer; forwards through the session it is
    given (whoever creates the listener owns the session's lifetime)."""

    def __init__(self, inspector: SharedState, session: Client) -> None:
        self.inspector = inspector
        self.session = session
        self.max_body = inspector.config.max_body
        self.max_inflight = inspector.config.max_inflight
        self.mirroring: set[asyncio.Task[None]] = set()  # kept: the loop holds tasks weakly
        self.mirror_limit = MIRRORING_AT_MOST

    def decide(self, incoming: Arrival, refused: Refused | None,
               headers: Headers | None = None
               ) -> tuple[Answer, dict[str, Any], str | None, Route | Wanted | None]:
        """The answer to give, what was learnt about the request, its dedupe key, and the
        route that takes it (after the rules: a request a rule answers takes none), or the
        verdict its choice needs made first (`_chosen_later`). `headers`: the request's, when
        the connection made them (else decoded here)."""
        inspector = self.inspector
        if refused is None and (incoming.method == "CONNECT" or incoming.path[:1] != "/"):
            refused = target_refused(incoming.method, incoming.path)  # refused, then
        if refused is None:
            responder = inspector.responder  # `choose` called only when there are rules
            answer = responder.choose(incoming.method, incoming.path) if responder.rules \
                else responder.default_answer
        else:
            answer = refusal(refused, incoming.body_size, self.max_body)
        # analysed once, for the verdicts and the challenge
        delivery = delivery_of(incoming, headers)
        learnt, dedupe_key = inspector.analyze(incoming, delivery)
        route = None
        app_answers = bool(inspector.routes)
        if answer.action == "forward":
            route = choose(inspector.routes, recorded(incoming, 0, **learnt))
            if isinstance(route, Wanted):  # kept first, the route chosen after (receive)
                return answer, learnt, dedupe_key, route
            learnt["route"] = route.taken if route is not None else None
            if route is None or route.upstream is None:  # none matched, or a drop route
                answer, app_answers = inspector.responder.fallback, False
        if refused is None and answer.action == "respond" and not app_answers \
                and any(map(_ANSWERS_HANDSHAKES, inspector.secrets)):  # no call when none may
            challenge = answer_challenge(inspector.secrets, incoming, delivery, answer.delay_ms)
            if challenge is not None:  # a provider proving the endpoint: answered as it expects
                answer, learnt = challenge.answer, {**learnt, **challenge.learnt}
        if refused is not None:  # what happened to the body matters more than analysis
            learnt["error"] = refused.error
        if answer.action in FAULT_NOTES:
            learnt["error"] = FAULT_NOTES[answer.action]
        return answer, learnt, dedupe_key, route

    def receive(self, incoming: Arrival, refused: Refused | None,
                headers: Headers | None = None) -> Reply:
        inspector = self.inspector
        answer, learnt, dedupe_key, route = self.decide(incoming, refused, headers)
        # read once: 3.11 does not specialise a NamedTuple's field reads
        action, status, answer_headers, body, delay_ms, numbered = answer
        sent = None
        if action == "respond":
            waited_ms = (time.time() - incoming.received_at) * 1000
            # ResponseRecord's fields in order, made at once (no constructor frame a request)
            sent = new_tuple(ResponseRecord, (status, answer_headers, body,
                                              waited_ms + delay_ms, "inspector"))
        try:
            stored = inspector.capture(incoming, learnt, dedupe_key, sent, numbered)
        except StoreBusy as busy:
            return retry_later(str(busy))
        if isinstance(route, Wanted):
            return self._chosen_later(stored, route)
        if route is not None:
            arrived = recorded(incoming, 0, **learnt)  # what the app and its mirrors are sent
            if route.mirrors:
                self._mirror(route, stored, arrived)
            if route.upstream is not None:
                return self._forward(stored, arrived, route)
        if sent is None:
            return Fault(action)
        reply = stored.answer(sent, numbered)
        if delay_ms:
            return self._after(reply, delay_ms / 1000)
        return reply

    async def _chosen_later(self, stored: Stored, wanted: Wanted) -> ResponseRecord:
        """A route whose match reads a verdict not made yet (`finding:` on a large deviating
        payload): the request is kept first, its verdict made apart from the loop (SPEC 3),
        then the route chosen takes it as `receive` would have; none, and the sender gets the
        default answer (no provider's challenge is that large). The verdict is waited for as
        long as an app is (`--forward-timeout`): past it the sender gets 504, the record says
        why, and the verdict is still made for the page."""
        try:
            record = await stored.kept()
        except StoreBusy as busy:
            return retry_later(str(busy))
        if record is not None:  # the verdict kept under its id, where the page looks for it
            wanted = Wanted(record, wanted.judge)
        arrived = wanted.record
        timeout = self.inspector.config.forward_timeout
        try:
            route = await asyncio.wait_for(chosen(self.inspector.routes, wanted), timeout)
        except TimeoutError:
            reason = f"no route chosen: the verdict its match reads took over {timeout:g} s"
            return await self._recorded(record, ResponseRecord(
                504, JSON_HEADERS, error_body(reason), since(arrived), "error"))
        if record is not None:
            record = record._replace(route=route.taken if route is not None else None)
            self.inspector.update(record)
            arrived = record
        if route is not None and route.mirrors:
            self._mirror(route, Stored(record, None), arrived)
        if route is not None and route.upstream is not None:
            return await self._forward(Stored(record, None), arrived, route)
        answer = self.inspector.responder.fallback
        body = numbered_body(record.id if record else None) if answer.numbered else answer.body
        sent = await self._recorded(record, ResponseRecord(
            answer.status, answer.headers, body, since(arrived) + answer.delay_ms, "inspector"))
        if answer.delay_ms:
            await asyncio.sleep(answer.delay_ms / 1000)
        return sent

    async def _recorded(self, record: CapturedRequest | None, sent: ResponseRecord
                        ) -> ResponseRecord:
        """`sent`, once it is the record's answer and committed; when the store cannot keep
        it, it goes back all the same (the request itself was kept before)."""
        if record is not None:
            self.inspector.set_response(record.id, sent)
        with contextlib.suppress(StoreBusy):
            await self.inspector.written()
        return sent

    @staticmethod
    async def _after(reply: Answering, seconds: float) -> ResponseRecord:
        """The answer leaves once the request is stored for good and the delay is over."""
        sent = reply if isinstance(reply, ResponseRecord) else await reply
        await asyncio.sleep(seconds)
        return sent

    def _mirror(self, route: Route, stored: Stored, arrived: CapturedRequest) -> None:
        """The copies go out beside the sender's answer; past `mirror_limit` copies in flight
        (slow mirrors) a request's copies are not sent, and its record says so: a mirror
        never takes the connections its route's app needs."""
        if len(self.mirroring) >= self.mirror_limit:
            if stored.record is not None:
                self.inspector.add_mirrored(stored.record.id, skipped(route, len(self.mirroring)))
            return
        task = asyncio.ensure_future(self._mirrored(route, stored, arrived))
        self.mirroring.add(task)
        task.add_done_callback(self.mirroring.discard)

    async def _mirrored(self, route: Route, stored: Stored, arrived: CapturedRequest) -> None:
        """The route's mirrors get the request once it is kept (as its app does); what they
        answer is recorded with it, never returned to the sender."""
        try:
            record = await stored.kept()
        except StoreBusy:  # not kept: not forwarded anywhere
            return
        answers = await mirror(self.session, route, record or arrived,
                               self.inspector.config.forward_timeout)
        if record is not None:
            self.inspector.add_mirrored(record.id, answers)

    async def close(self) -> None:
        for task in list(self.mirroring):
            task.cancel()
        if self.inspector.holding is not None:
            await self.inspector.holding.close()

    async def _forward(self, stored: Stored, arrived: CapturedRequest, route: Route
                       ) -> ResponseRecord:
        """The app's answer goes back to the sender and is recorded (502/504 when it fails).
        While a shared store is away the request is still forwarded, but its record (which
        waits for an id) does not learn the app's answer. A hold route whose app is down
        (or whose queue already waits: order is kept) holds the request instead."""
        assert route.upstream is not None  # a drop route forwards nothing
        try:
            record = await stored.kept()  # committed before it is forwarded
        except StoreBusy as busy:  # not kept: not forwarded, the sender comes back
            return retry_later(str(busy))
        holding = self.inspector.holding
        queue = holding.queue_for(route) if holding and record is not None else None
        if queue is not None and queue.waiting and record is not None:
            return await self._held(queue, record)
        try:
            sent = await forward(self.session, route.upstream, record or arrived,
                                 self.inspector.config.forward_timeout)
        except Exception as error:  # the sender gets a 502 and the record says why
            reason = f"forwarding failed: {type(error).__name__}"
            sent = ResponseRecord(502, JSON_HEADERS, error_body(reason), 0.0, "error")
        if sent.source == "error" and queue is not None and record is not None:
            return await self._held(queue, record)
        return await self._recorded(record, sent)  # the app has the request: kept before

    async def _held(self, queue: HeldQueue, record: CapturedRequest) -> ResponseRecord:
        """The default answer, `"held": true` in it, once the request is kept in the queue."""
        assert self.inspector.holding is not None
        answer = self.inspector.responder.fallback
        sent = ResponseRecord(answer.status, answer.headers, held_body(answer, record.id),
                              since(record), "inspector")
        self.inspector.holding.hold(queue, record, sent)
        await self.inspector.holding.kept()
        return sent
