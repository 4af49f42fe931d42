"""A request's conformance made before a summary or the detail reads it, without holding the
loop both listeners share (SPEC 3): a compressed body's view (what is judged) decoded in
steps, and a large payload's detailed verdict made in the worker process. Both are kept, so
what reads them next (`serialize`) finds them made."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import serialize
from ..captured import CapturedRequest
from ..conformance.judged import Judge
from ..query.body_view import body_view_steps, needs_view
from ..steps import sliced, turns


async def viewed(record: CapturedRequest, judge: Judge, detailed: bool = False) -> None:
    """The body's view kept, when the judge is about to read it."""
    if not judge.kept(record, detailed) and needs_view(record):
        await sliced(body_view_steps(record))


async def summaries(records: Iterable[CapturedRequest], judge: Judge) -> list[dict[str, Any]]:
    """SUMMARY of each record, the loop given a turn between them: the first read of each
    judges it (a compressed body decoded, its JSON parsed)."""
    made = []
    async for record in turns(records):
        await viewed(record, judge)
        made.append(serialize.summary(record, judge))
    return made


async def judged_in_detail(record: CapturedRequest, judge: Judge) -> None:
    await viewed(record, judge, detailed=True)
    await judge.detailed(record)
