"""What a serving process holds from its start is never scanned again by the garbage
collector (SPEC 3: a full collection over it held the loop 25-60 ms)."""

from __future__ import annotations

import asyncio
import gc
import io

from inspector.commands.serve import serve
from inspector.config import Address, Config

from .conftest import eventually


async def test_a_full_collection_scans_only_what_came_after_the_start() -> None:
    gc.unfreeze()
    out = io.StringIO()
    config = Config(hook=Address("127.0.0.1", 0), ui=Address("127.0.0.1", 0))
    serving = asyncio.ensure_future(serve(config, out=out, err=io.StringIO()))
    try:
        await eventually(lambda: "Webhooks" in out.getvalue())
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the modules, the app, the providers' schemes
        assert len(gc.get_objects()) < frozen // 10  # what a full collection still scans
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)
        gc.unfreeze()
