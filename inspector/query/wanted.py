"""A detailed verdict a search needs before it can test a record (`finding:`), asked of its
caller rather than made on the spot: made on the loop, a large deviating payload's verdict
holds it for hundreds of milliseconds (jsonschema-rs copies the payload for each error, in
one call that keeps the interpreter lock), and a search's steps cannot await the worker
process themselves (SPEC 3)."""

from __future__ import annotations

from dataclasses import dataclass

from ..captured import CapturedRequest
from ..conformance.judged import Judge


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
        """The verdict made and kept, in the worker process when large (Judge.detailed). Its
        status first, on the loop as a summary's is: a payload known to have no finding is
        detailed there, never waiting for the process."""
        self.judge.status_of(self.record)
        await self.judge.detailed(self.record)
