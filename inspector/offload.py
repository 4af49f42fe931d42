"""Inspector-side work too long for one turn of the event loop both listeners share (SPEC 3:
capture never waits on the inspector): explaining a mismatch (discovery, diagnosis) runs in one
worker thread; judging a large payload against its schema in detail, in one worker process.

One thread, not a pool: the work is hashing, which releases the interpreter lock for any
payload over 2 KiB, and short pure-Python steps between, which take it. A second competing
thread would let the loop wait for the lock twice as long; explanations queue instead.

A process for the detailed verdict: jsonschema-rs makes every error in one call that keeps the
interpreter lock, each with its instance copied into Python objects (a missing property at the
top of a 500 KB payload copies the whole payload: 15-20 ms, once per such error), so no thread
and no slicing can give the loop a turn. The process is started at the first such verdict and
is given the payload's text (at most JUDGED_BYTES) and the few schemas that may judge it.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inspector-work")
_PROCESS: list[ProcessPoolExecutor] = []  # started when first needed

Params = ParamSpec("Params")
Result = TypeVar("Result")


async def off_loop(function: Callable[Params, Result], *args: Params.args,
                   **kwargs: Params.kwargs) -> Result:
    """`function(*args, **kwargs)` in the worker thread, awaited without holding the loop."""
    return await _run(_WORKER, functools.partial(function, *args, **kwargs))


async def in_process(function: Callable[Params, Result], *args: Params.args,
                     **kwargs: Params.kwargs) -> Result:
    """`function(*args, **kwargs)` in the worker process (a module-level function, its
    arguments and result picklable), awaited without holding the loop. Spawned, not forked:
    the loop's threads and sockets stay out of it. A process that died (killed, out of
    memory) is replaced, and the call made again once."""
    call = functools.partial(function, *args, **kwargs)
    if not _PROCESS:
        _PROCESS.append(_process())
    executor = _PROCESS[0]
    try:
        return await _run(executor, call)
    except BrokenProcessPool:
        if _PROCESS[0] is executor:  # not replaced by another call meanwhile
            _PROCESS[0] = _process()
        return await _run(_PROCESS[0], call)


def _process() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


async def _run(executor: Executor, call: Callable[[], Result]) -> Result:
    return await asyncio.get_running_loop().run_in_executor(executor, call)
