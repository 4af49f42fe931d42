"""What conformance keeps stays bounded whatever arrives (SPEC 3): a sender posting deviating
bodies, then a `finding:` search over the history (which builds every record's whole
verdict), grows the inspector by a bounded amount; `schema:` still reads kept statuses."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

from inspector.conformance import judged
from inspector.conformance.bundled import seeds
from inspector.conformance.catalogue import Catalogue

from ..cli_process import start
from ..conftest import AppsFactory, make_capture
from .test_everywhere import BONDIFY, GOOD, SPEC_EXAMPLE

# Two errors and 120 undocumented fields: the most findings a verdict lists (100, and one
# that counts the rest).
HOSTILE = {**SPEC_EXAMPLE, **{f"undocumented_field_{n:04d}": n for n in range(120)}}
NOWHERE = "finding:/no_such_path_anywhere"  # matches nothing: every record is examined


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


async def test_whole_verdicts_kept_stay_few_after_a_finding_search(
        make_apps: AppsFactory) -> None:
    posted = 400
    apps = await make_apps(max_requests=posted, max_bytes=64 * 1024 * 1024)
    for _ in range(posted):
        answer = await apps.hooks.post("/auth", data=json.dumps(HOSTILE), headers=BONDIFY)
        assert answer.status == 200
    judge = apps.inspector.judge
    for query in (NOWHERE, "finding:/telegram_id"):
        answer = await apps.ui.get("/api/requests", params={"q": query, "limit": "1000"})
        assert answer.status == 200, await answer.text()
    found: Any = await answer.json()
    assert len(found["requests"]) == posted
    assert len(judge._verdicts) <= judged.KEPT_VERDICTS < posted
    answer = await apps.ui.get("/api/requests", params={"q": "schema:deviates", "limit": "1000"})
    assert len((await answer.json())["requests"]) == posted
    assert len(judge._statuses) == posted


def test_a_finding_search_over_a_hostile_history_grows_the_process_little(
        tmp_path: Path) -> None:
    """Measured on the real process: before, each of the 1,500 whole verdicts was kept
    (about 25 KB each, 37 MB in all, none of it counted in --max-bytes); now about 6 MB."""
    server = start("--hook", "0", "--ui", "0", "--max-requests", "1500", cwd=tmp_path)
    try:
        body = json.dumps(HOSTILE).encode()
        for _ in range(1500):
            server.post("/auth", body, BONDIFY)
        server.api("/api/requests?q=schema:deviates")  # every status judged and kept
        before = rss_kib(server.process.pid)
        # About 1 ms a record (each builds 100 findings): longer than Running.api waits.
        with urllib.request.urlopen(f"{server.ui_url}/api/requests?q={NOWHERE}",
                                    timeout=60) as answer:
            assert json.loads(answer.read())["requests"] == []
        grown = rss_kib(server.process.pid) - before
        assert grown < 16 * 1024, f"grew {grown} KiB"
    finally:
        server.stop()


def test_a_status_kept_is_never_read_for_another_request_with_its_id() -> None:
    """A history cleared (ids given again) or another history: the same id, another request."""
    judge = judged.Judge(Catalogue(seeds()))
    first = make_capture(id=7, body=json.dumps(SPEC_EXAMPLE).encode(), provider="bondify",
                         event="auth.confirmed", received_at=1.0)
    again = first._replace(body=json.dumps(GOOD).encode(), received_at=2.0)
    assert [judge.status_of(r) for r in (first, again, first)] == \
        ["deviates", "conforms", "deviates"]
    assert len(judge._statuses) == 1
