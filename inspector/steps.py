"""Work done a step at a time, so that the event loop runs between steps (SPEC 3).

A job over a large input (decoding a body, splitting its parts, encoding its JSON, reading a
HAR document) is written as a generator that yields after each bounded step, and returns its
value. `sliced` runs it on the event loop and gives the loop back whenever a slice has run
SLICE_S; `finish` runs it through at once, where nothing waits (tests, the command line).
Steps stay in the loop's own thread: in a worker thread, pure-Python work holds the
interpreter lock and every socket call of the loop then waits for it (measured: 60 ms holds).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Generator, Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
Steps = Generator[None, None, T]

SLICE_S = 0.002  # a step is about 1 ms: the loop gets a turn every few ms (SPEC 3: 20)


class _Job(Generic[T]):
    """A job's steps, and its value once they have all run."""

    value: T

    def __init__(self, steps: Steps[T]) -> None:
        self._steps = steps

    def __iter__(self) -> Iterator[None]:
        self.value = yield from self._steps


def finish(steps: Steps[T]) -> T:
    """The job's value, every step run now."""
    job = _Job(steps)
    for _ in job:
        pass
    return job.value


async def sliced(steps: Steps[T]) -> T:
    """The job's value, its steps run on the loop SLICE_S at a time."""
    job = _Job(steps)
    async for _ in turns(job):
        pass
    return job.value


async def turns(items: Iterable[T]) -> AsyncIterator[T]:
    """Each of `items`, the loop given a turn whenever SLICE_S has run since the last."""
    deadline = time.perf_counter() + SLICE_S
    for item in items:
        yield item
        if time.perf_counter() >= deadline:
            await asyncio.sleep(0)
            deadline = time.perf_counter() + SLICE_S
