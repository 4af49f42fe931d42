"""A detailed verdict a search needs before it can test a record (`finding:`), asked of its
caller rather than made on the spot: made on the loop, a large deviating payload's verdict
holds it for hundreds of milliseconds (jsonschema-rs copies the payload for each error, in
one call that keeps the interpreter lock), and a search's steps cannot await the worker
process themselves (SPEC 3)."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass

from ..captured import CapturedRequest
from ..conformance.judged import Judge

MakingKey = tuple[int, int, float, int, str | None, str | None]
# The verdicts being made, by judge and request (as the judge keys it): searches and filters
# that want one at once (websockets with different queries) have it made once.
_MAKING: dict[MakingKey, asyncio.Future[None]] = {}


class VerdictWanted(Exception):
    """Raised by a test that asks (evaluate.matcher's `asking`) when it would read a detailed
    verdict the judge does not keep."""


@dataclass(frozen=True, slots=True)
class Wanted:
    """The record whose detailed verdict a paused search needs: its caller, on the loop,
    awaits `made` before the search goes on; one that does not lets the search make it."""

    record: CapturedRequest
    judge: Judge

    async def made(self) -> None:
        """The verdict made and kept, in the worker process when large (Judge.detailed), or
        the same being made for another asker awaited."""
        record = self.record
        key = (id(self.judge), record.id, record.received_at, record.body_size,
               record.provider, record.event)
        making = _MAKING.get(key)
        if making is None:
            making = _MAKING[key] = asyncio.ensure_future(self._make())
            making.add_done_callback(functools.partial(_made, key))
        await asyncio.shield(making)  # an asker that leaves does not stop it for the others

    async def _make(self) -> None:
        """Its status first, on the loop as a summary's is: a payload known to have no
        finding is detailed there, never waiting for the process."""
        self.judge.status_of(self.record)
        await self.judge.detailed(self.record)


def _made(key: MakingKey, making: asyncio.Future[None]) -> None:
    _MAKING.pop(key, None)
    if not making.cancelled():
        making.exception()  # retrieved: every asker that stayed has it raised
