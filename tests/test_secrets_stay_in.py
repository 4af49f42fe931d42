"""Secret values never come back out: not in answers, verdicts, replays, exports or lists,
and the API cannot read the server's environment."""

from __future__ import annotations

import json
from typing import Any

from inspector.config import SecretSpec

from .conftest import Apps, AppsFactory
from .test_forward import start_upstream

GITLAB_TOKEN = "gitlab-token-from-the-flag-0123"
TELEGRAM_TOKEN = "telegram_token_added_through_the_api"


async def every_answer(apps: Apps) -> str:
    """Everything the API answers about the history and the secrets, as one text."""
    texts = []
    for path in ("/api/requests?limit=100", "/api/requests/1", "/api/requests/2",
                 "/api/requests/1/curl", "/api/export.har", "/api/export.har?mask=1",
                 "/api/secrets", "/api/providers", "/api/response"):
        texts.append(await (await apps.ui.get(path)).text())
    return "\n".join(texts)


async def test_a_secret_configured_by_flag_or_api_never_comes_back(make_apps: AppsFactory,
                                                                   aiohttp_server: Any) -> None:
    _, server = await start_upstream(aiohttp_server)
    apps = await make_apps(secrets=(SecretSpec("gitlab", GITLAB_TOKEN),))
    added = await apps.ui.post("/api/secrets", json={"provider": "telegram",
                                                     "secret": TELEGRAM_TOKEN})
    assert added.status == 201 and TELEGRAM_TOKEN not in await added.text()
    await apps.hooks.post("/gitlab", data=b'{"object_kind": "push"}',
                          headers={"X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "wrong"})
    await apps.hooks.post("/telegram", data=b'{"update_id": 1, "message": {}}',
                          headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
    answers = []
    for request_id in (1, 2):
        replayed = await apps.ui.post(f"/api/requests/{request_id}/replay", json={
            "target": f"http://127.0.0.1:{server.port}", "resign": True})
        assert replayed.status == 200
        answers.append(await replayed.text())
    verified = await apps.ui.post("/api/verify", json={
        "provider": "gitlab", "secret": GITLAB_TOKEN, "method": "POST",
        "url": "http://x/", "headers": {"X-Gitlab-Token": "nope"}, "body": "{}"})
    answers.append(await verified.text())
    everything = "\n".join(answers) + await every_answer(apps)
    assert GITLAB_TOKEN not in everything and TELEGRAM_TOKEN not in everything
    detail = await (await apps.ui.get("/api/requests/1")).json()
    (replay,) = detail["replays"]
    assert ["X-Gitlab-Token", "(masked)"] in replay["request"]["headers"]


async def test_the_api_cannot_read_the_environment(apps: Apps, monkeypatch: Any) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-value-never-to-leave")
    answer = await apps.ui.post("/api/secrets", json={"provider": "gitlab",
                                                      "secret": "env:AWS_SECRET_ACCESS_KEY"})
    assert answer.status == 400
    text = await answer.text()
    assert "env:" in json.loads(text)["error"] and "aws-value-never-to-leave" not in text
    assert await (await apps.ui.get("/api/secrets")).json() == []
