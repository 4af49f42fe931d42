"""Verdicts follow the secrets configured now (SPEC 11): a secret added at run time is never
stored, so a restart without it verifies the kept history again and says why a verdict
changed. The real CLI on a real SQLite file."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.request
from pathlib import Path
from typing import Any

from .cli_process import Running, start
from .conftest import Apps

BODY = b'{"action": "opened", "number": 7}'
GITHUB_SECRET = "added-in-the-page"
HMAC_SECRET = "generic-added-in-the-page"


def signature(secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), BODY, hashlib.sha256).hexdigest()


def add_secret(server: Running, table: dict[str, Any]) -> None:
    request = urllib.request.Request(server.ui_url + "/api/secrets", method="POST",
                                     data=json.dumps(table).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 201


def verdicts(server: Running, request_id: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = server.api(f"/api/requests/{request_id}")["signatures"]
    return found


def serve(tmp_path: Path, *flags: str) -> Running:
    return start("--hook", "0", "--ui", "0", "--store", "sqlite:history.db", *flags,
                 cwd=tmp_path)


def test_a_restart_without_a_secret_added_at_run_time_verifies_again(tmp_path: Path) -> None:
    server = serve(tmp_path, "--secret", "bondify=configured-in-both-runs")
    try:
        add_secret(server, {"provider": "github", "secret": GITHUB_SECRET})
        add_secret(server, {"provider": "hmac", "secret": HMAC_SECRET, "header": "X-Signature",
                            "prefix": "sha256="})
        github = server.post("/gh", BODY, {"X-GitHub-Event": "pull_request",
                                           "X-Hub-Signature-256": signature(GITHUB_SECRET)})["id"]
        generic = server.post("/generic", BODY, {"X-Signature": signature(HMAC_SECRET)})["id"]
        assert [v["status"] for v in verdicts(server, github)] == ["valid"]
        assert [(v["provider"], v["status"]) for v in verdicts(server, generic)] == \
            [("hmac", "valid")]
    finally:
        server.stop()

    server = serve(tmp_path, "--secret", "bondify=configured-in-both-runs")
    try:
        (now_github,) = verdicts(server, github)
        assert now_github["status"] == "unverified", now_github
        assert now_github["reason"].startswith(
            "verified again at start: the secret that matched is no longer configured"), \
            now_github["reason"]
        assert "no github secret is configured" in now_github["reason"]
        (now_generic,) = verdicts(server, generic)
        assert (now_generic["provider"], now_generic["status"]) == ("hmac", "unverified")
        assert now_generic["reason"].startswith(
            "verified again at start: the secret that matched is no longer configured")
        summary = server.api("/api/requests")["requests"]
        assert {item["id"]: item["signature"] for item in summary} == \
            {github: "unverified", generic: "unverified"}
    finally:
        server.stop()

    server = serve(tmp_path, "--secret", "bondify=configured-in-both-runs",
                   "--secret", f"github={GITHUB_SECRET}")
    try:
        (again,) = verdicts(server, github)
        assert again["status"] == "valid"
        assert again["reason"].startswith("verified again at start: a secret configured now "
                                          "matches"), again["reason"]
    finally:
        server.stop()


async def detail_verdicts(apps: Apps, request_id: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = \
        (await (await apps.ui.get(f"/api/requests/{request_id}")).json())["signatures"]
    return found


async def test_a_verdict_changed_at_run_time_says_why(apps: Apps) -> None:
    """Each secret added or removed names itself in the verdicts it changed; the cause of a
    mismatch, found when the request is read, is added to that; a generic secret removed
    leaves a verdict saying so. What a verdict says of its last change stays until it changes
    again."""
    github = await apps.hooks.post("/gh", data=BODY, headers={
        "X-GitHub-Event": "push", "X-Hub-Signature-256": signature(GITHUB_SECRET)})
    github_id = (await github.json())["id"]
    generic = await apps.hooks.post("/generic", data=BODY,
                                    headers={"X-Signature": signature(HMAC_SECRET)})
    generic_id = (await generic.json())["id"]
    wrong = await apps.ui.post("/api/secrets", json={"provider": "github", "secret": "wrong"})
    assert wrong.status == 201
    (verdict,) = await detail_verdicts(apps, github_id)
    assert verdict["status"] == "invalid"
    assert verdict["reason"].startswith(
        "verified again after the secret github was added: the secrets configured now differ "
        "from those it was verified with; X-Hub-Signature-256 does not match"), verdict["reason"]
    assert "wrong secret" in verdict["reason"]  # the cause, found on reading, is kept too
    await apps.ui.post("/api/secrets", json={"provider": "github", "secret": GITHUB_SECRET})
    (verdict,) = await detail_verdicts(apps, github_id)
    assert verdict["status"] == "valid" and verdict["reason"].startswith(
        "verified again after the secret github-2 was added: a secret configured now matches;")

    added = await apps.ui.post("/api/secrets", json={
        "provider": "hmac", "secret": HMAC_SECRET, "header": "X-Signature", "prefix": "sha256=",
        "label": "mine"})
    assert added.status == 201
    assert [v["status"] for v in await detail_verdicts(apps, generic_id)] == ["valid"]
    assert (await apps.ui.delete("/api/secrets/mine")).status == 204
    removed = await detail_verdicts(apps, generic_id)
    assert removed == [{"provider": "hmac", "status": "unverified", "header": "X-Signature",
                        "reason": "verified again after the secret mine was removed: the secret "
                                  "that matched is no longer configured",
                        "received": None, "expected": None, "timestamp_age_s": None}]
    await apps.ui.post("/api/secrets", json={"provider": "bondify", "secret": "unrelated"})
    assert await detail_verdicts(apps, generic_id) == removed
    assert await detail_verdicts(apps, github_id) == [verdict]  # its last change, still said
