"""The page learns from the API which providers `send` cannot sign as (`GET /api/send`), so
that no provider is named outside signatures/ and send/ (the house rule): the API's list is
exactly what `POST /api/send` refuses, each with why, and the page's code names no provider."""

from __future__ import annotations

import re
from pathlib import Path

from inspector.send.samples import EVENTS
from inspector.signatures import names

from .conftest import Apps

STATIC = Path(__file__).resolve().parents[1] / "static"


async def test_the_api_names_exactly_the_providers_send_refuses(apps: Apps) -> None:
    answer = await apps.ui.get("/api/send")
    assert answer.status == 200
    cannot_sign: dict[str, str] = (await answer.json())["cannot_sign"]
    assert cannot_sign and set(cannot_sign) <= set(EVENTS)
    refused = set()
    for provider in sorted(EVENTS):
        sent = await apps.ui.post("/api/send", json={"provider": provider})
        if sent.status == 400:
            refused.add(provider)
        else:
            assert sent.status == 200, (provider, await sent.text())
    assert refused == set(cannot_sign)
    assert all(why.startswith(f"{name} publishes no signature scheme")
               for name, why in cannot_sign.items())


def test_the_page_names_no_provider() -> None:
    quoted = re.compile(r"[\"'`](" + "|".join(map(re.escape, set(EVENTS) | set(names())))
                        + r")[\"'`]")
    found = [(path.name, match.group(1)) for path in sorted(STATIC.rglob("*"))
             if path.suffix in (".js", ".html") for match in quoted.finditer(path.read_text())]
    assert found == []
