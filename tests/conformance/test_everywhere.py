"""The conformance verdict everywhere a verdict is (SPEC 13): SUMMARY and DETAIL, the search,
the HAR export, `tail`'s line; the user's schemas at start (`--schemas`, `[[schemas]]`) and a
stored history judged again against them; the real listeners and the real CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from inspector.commands.tail_lines import first_error, format_line
from inspector.conformance import judged
from inspector.conformance.bundled import seeds
from inspector.conformance.catalogue import Catalogue
from inspector.conformance.judged import JUDGED_BYTES

from ..cli_process import start
from ..conftest import Apps, AppsFactory, make_capture
from ..redis_server import RedisServer
from .vectors import CONFORMING

GOOD = CONFORMING["bondify/auth.confirmed"]
SPEC_EXAMPLE = {**{k: v for k, v in GOOD.items() if k != "telegram_username"},
                "telegram_id": 123456789, "telegram_user_id": 42}
BONDIFY = {"X-Bondify-Signature": "00" * 32, "Content-Type": "application/json"}


async def post(apps: Apps, payload: Any, headers: dict[str, str] | None = None) -> int:
    answer = await apps.hooks.post("/auth", data=json.dumps(payload),
                                   headers=headers or BONDIFY)
    assert answer.status == 200
    found: int = (await answer.json())["id"]
    return found


async def api(apps: Apps, path: str) -> Any:
    answer = await apps.ui.get(path)
    assert answer.status == 200, await answer.text()
    return await answer.json()


async def test_summary_carries_the_status_and_detail_the_verdict(apps: Apps) -> None:
    deviating = await post(apps, SPEC_EXAMPLE)
    conforming = await post(apps, GOOD)
    unknown = await post(apps, {"x": 1}, {"Content-Type": "application/json"})
    listed = {item["id"]: item for item in (await api(apps, "/api/requests"))["requests"]}
    assert [listed[i]["conformance"] for i in (deviating, conforming, unknown)] == \
        ["deviates", "conforms", None]
    detail = (await api(apps, f"/api/requests/{deviating}"))["conformance"]
    assert detail["status"] == "deviates" and detail["event"] == "auth.confirmed"
    assert detail["schema"]["name"] == "bondify/auth.confirmed"
    assert detail["schema"]["source"].startswith("https://docs.bondify.dev/")
    assert [(f["path"], f["keyword"], f["expected"], f["got"], f["severity"])
            for f in detail["findings"]] == [
        ("/telegram_id", "type", "string", "number 123456789", "error"),
        ("/telegram_username", "required", "string or null", "absent", "error"),
        ("/telegram_user_id", "additionalProperties", "not documented", "number 42", "info")]
    assert (await api(apps, f"/api/requests/{unknown}"))["conformance"] is None


async def test_the_search_and_the_har_export_know_it(apps: Apps) -> None:
    deviating = await post(apps, SPEC_EXAMPLE)
    await post(apps, GOOD)
    found = await api(apps, "/api/requests?q=schema:deviates")
    assert [item["id"] for item in found["requests"]] == [deviating]
    found = await api(apps, "/api/requests?q=finding:/telegram_id")
    assert [item["id"] for item in found["requests"]] == [deviating]
    refused = await apps.ui.get("/api/requests?q=schema:maybe")
    assert refused.status == 400
    har = await api(apps, "/api/export.har?q=provider:bondify")
    statuses = [entry.get("_conformance", {}).get("status") for entry in har["log"]["entries"]]
    assert statuses == ["deviates", "conforms"]
    assert har["log"]["entries"][0]["_conformance"]["findings"][0]["path"] == "/telegram_id"


def test_tail_names_the_first_error() -> None:
    summary = {"id": 4, "received_at": "2026-11-22T10:31:11.756Z", "method": "POST",
               "path": "/auth", "query": "", "body_size": 120, "response_status": 200,
               "provider": "bondify", "event": "auth.confirmed", "signature": None,
               "conformance": "deviates"}
    detail = {"findings": [
        {"path": "/telegram_id", "keyword": "type", "severity": "error"},
        {"path": "/telegram_username", "keyword": "required", "severity": "error"},
        {"path": "/x", "keyword": "additionalProperties", "severity": "info"}]}
    line = format_line(summary, None, first_error(detail))
    assert line.endswith("bondify auth.confirmed  deviates: /telegram_id type (+1)")
    assert format_line({**summary, "conformance": "conforms"}).endswith("conforms")
    assert format_line({**summary, "conformance": None}).endswith("auth.confirmed")


def schema_file(directory: Path, name: str, document: dict[str, Any]) -> Path:
    path = directory / name
    path.write_text(json.dumps(document))
    return path


def test_a_stored_history_is_judged_again_against_new_schemas(tmp_path: Path) -> None:
    """The same SQLite history: conforming to the bundled schema in the first run, deviating
    from the user's schema given at the second start, and conforming again without it."""
    stricter = schema_file(tmp_path, "bondify.json", {
        "x-provider": "bondify", "x-event": "auth.confirmed", "type": "object",
        "required": ["locale"]})
    runs = [(), ("--schemas", str(stricter)), ()]
    seen = []
    for number, flags in enumerate(runs):
        server = start("--hook", "0", "--ui", "0", "--store", "sqlite:history.db", *flags,
                       cwd=tmp_path)
        try:
            if number == 0:
                server.post("/auth", json.dumps(GOOD).encode(), BONDIFY)
            detail = server.api("/api/requests/1")["conformance"]
            seen.append((detail["status"], [f["path"] for f in detail["findings"]]))
        finally:
            server.stop()
    assert seen == [("conforms", []), ("deviates", ["/locale"]), ("conforms", [])]


def test_a_config_schemas_entry_names_provider_and_event(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    schema_file(tmp_path / "schemas", "cancel.json", {"type": "object",
                                                      "required": ["reason"]})
    (tmp_path / "inspector.toml").write_text(
        '[[schemas]]\npath = "schemas/cancel.json"\nprovider = "bondify"\n'
        'event = "auth.cancelled"\n')
    server = start("--hook", "0", "--ui", "0", cwd=tmp_path)
    try:
        server.post("/auth", json.dumps(CONFORMING["bondify/auth.cancelled"]).encode(), BONDIFY)
        detail = server.api("/api/requests/1")["conformance"]
        assert detail["status"] == "deviates"
        assert detail["schema"]["source"].endswith("cancel.json")
    finally:
        server.stop()


async def test_a_body_past_the_bound_is_not_judged_on_the_loop(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(max_body=2 * JUDGED_BYTES, max_bytes=8 * JUDGED_BYTES)
    small = await post(apps, {**GOOD, "padding": "x" * (JUDGED_BYTES - 1000)})
    large = await post(apps, {**GOOD, "padding": "x" * JUDGED_BYTES})
    assert (await api(apps, f"/api/requests/{small}"))["conformance"]["status"] == "conforms"
    assert (await api(apps, f"/api/requests/{large}"))["conformance"] is None


def test_no_conformance_turns_it_off(tmp_path: Path) -> None:
    server = start("--hook", "0", "--ui", "0", "--no-conformance", cwd=tmp_path)
    try:
        server.post("/auth", json.dumps(SPEC_EXAMPLE).encode(), BONDIFY)
        assert server.api("/api/requests/1")["conformance"] is None
        assert server.api("/api/requests")["requests"][0]["conformance"] is None
    finally:
        server.stop()


def test_another_instance_on_the_same_redis_judges_and_finds_it(
        redis_server: RedisServer, tmp_path: Path) -> None:
    """The Redis engine: what instance A captured, instance B (its replica) judges and
    searches by schema: and finding:."""
    instances = [start("--hook", "0", "--ui", "0", "--store", redis_server.url, cwd=tmp_path)
                 for _ in range(2)]
    try:
        first = instances[0].post("/auth", json.dumps(SPEC_EXAMPLE).encode(), BONDIFY)["id"]
        instances[0].post("/auth", json.dumps(GOOD).encode(), BONDIFY)
        other = instances[1]
        for query in ("schema:deviates", "finding:/telegram_id", "finding:=required"):
            deadline = time.monotonic() + 10
            while not (found := other.api(f"/api/requests?q={query}")["requests"]):
                assert time.monotonic() < deadline, query
                time.sleep(0.02)  # the replica follows the log
            assert [item["id"] for item in found] == [first], query
    finally:
        for instance in instances:
            instance.stop()


def test_verdicts_kept_are_bounded_and_found_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(judged, "KEPT_STATUSES", 3)
    judge = judged.Judge(Catalogue(seeds()))
    records = [make_capture(id=number, body=json.dumps(SPEC_EXAMPLE).encode(),
                            provider="bondify", event="auth.confirmed") for number in range(5)]
    assert [judge.status_of(record) for record in records] == ["deviates"] * 5
    assert len(judge._statuses) == 3  # the two oldest forgotten
    assert judge.status_of(records[0]) == "deviates"
