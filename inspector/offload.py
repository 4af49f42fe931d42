"""Inspector-side work too long for one turn of the event loop both listeners share (SPEC 3:
capture never waits on the inspector): explaining a mismatch (discovery, diagnosis) runs in one
worker thread.

One thread, not a pool: the work is hashing, which releases the interpreter lock for any
payload over 2 KiB, and short pure-Python steps between, which take it. A second competing
thread would let the loop wait for the lock twice as long; explanations queue instead.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inspector-work")

Params = ParamSpec("Params")
Result = TypeVar("Result")


async def off_loop(function: Callable[Params, Result], *args: Params.args,
                   **kwargs: Params.kwargs) -> Result:
    """`function(*args, **kwargs)` in the worker thread, awaited without holding the loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_WORKER, functools.partial(function, *args, **kwargs))
