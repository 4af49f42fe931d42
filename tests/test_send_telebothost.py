"""`send telebothost` (SPEC 10): TeleBotHost's scheme is not published, so its user link is
signed with a generic hmac secret's options (given with --option, else a stated stand-in:
HMAC-SHA256 hex of the URL without `sig`), sent as a GET link, and verified by the inspector
through a generic secret or by discovery. Through the real CLI and through the page's API; and
what a verdict says when discovery has nothing to try."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from inspector.config import SecretSpec
from inspector.signatures import Delivery, Headers, Key, get

from .cli_process import close, command, run, start
from .conftest import AppsFactory
from .test_send_wire import RawReceiver, header_pairs

KEY = "tbh-link-signing-key"
LINK_SECRET = (f'[[secrets]]\nprovider = "hmac"\nquery = "sig"\npayload = "{{url}}"\n'
               f'secret = "{KEY}"\n')


def captured(server: Any) -> dict[str, Any]:
    (row,) = server.api("/api/requests")["requests"]
    detail: dict[str, Any] = server.api(f"/api/requests/{row['id']}")
    return detail


def test_send_signs_a_get_link_a_generic_secret_verifies(tmp_path: Path) -> None:
    (tmp_path / "inspector.toml").write_text(LINK_SECRET)
    server = start("--hook", "0", "--ui", "0", cwd=tmp_path)
    try:
        result = run("send", "telebothost", "syncGameData", "--to",
                     server.hook_url + "/webhooks/telebothost", "--secret", KEY, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        first = result.stdout.splitlines()[0]
        assert first.startswith("sending telebothost syncGameData to ") and "delivery" not in first
        assert "query = sig, payload = {url}" in result.stdout and "not published" in \
            result.stdout and KEY not in result.stdout
        detail = captured(server)
        assert (detail["method"], detail["provider"], detail["event"]) == \
            ("GET", "telebothost", "syncGameData")
        query = dict(parse_qsl(urlsplit(detail["url"]).query))
        assert json.loads(query["options"]) == {"level": 10}
        assert (query["command"], query["user"], query["ref"]) == \
            ("syncGameData", "5723455420", "profile")
        assert [(v["provider"], v["status"]) for v in detail["signatures"]] == [("hmac", "valid")]
    finally:
        close(server.process)


def test_options_choose_the_construction_and_discovery_finds_it(tmp_path: Path) -> None:
    server = start("--hook", "0", "--ui", "0", "--secret", f"telebothost={KEY}", cwd=tmp_path)
    try:
        result = run("send", "telebothost", "--to", server.hook_url + "/webhooks/telebothost",
                     "--secret", KEY, "--option", "query=sig", "--option", "payload={query}",
                     "--option", "algorithm=sha1", cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        (verdict,) = captured(server)["signatures"]
        assert verdict["status"] == "valid", verdict["reason"]
        assert "algorithm=sha1" in verdict["reason"] and "payload={query}" in verdict["reason"]
    finally:
        close(server.process)


def test_a_link_signed_in_a_header_or_with_bad_options_is_refused_in_one_line(
        tmp_path: Path) -> None:
    for options, expected in ((["header=X-Sig"], "sends a link, signed in its query"),
                              (["header=X-Sig", "query=sig"], "exactly one of header or query"),
                              (["query=sig", "algorithm=md5"], "algorithm must be one of"),
                              (["query=sig", "oops"], "expected KEY=VALUE")):
        result = run("send", "telebothost", "--to", "http://127.0.0.1:1/",
                     *(f"--option={option}" for option in options), cwd=tmp_path)
        assert result.returncode == 2 and expected in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    published = run("send", "github", "--to", "http://127.0.0.1:1/", "--option", "query=sig",
                    cwd=tmp_path)
    assert published.returncode == 2 and "own published scheme" in published.stderr
    broken = run("send", "telebothost", "--to", "http://127.0.0.1:1/", "--data",
                 '{"user": 42}', cwd=tmp_path)
    assert broken.returncode == 2 and "needs a command and a user" in broken.stderr


async def test_the_link_on_the_wire_is_a_get_without_a_body() -> None:
    raw = RawReceiver()
    server = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hook?site=a"
    try:
        process = await asyncio.create_subprocess_exec(
            *command("send", "telebothost", "--to", url), stdout=asyncio.subprocess.PIPE)
        await asyncio.wait_for(process.communicate(), 30)
    finally:
        server.close()
    ((head, body),) = raw.requests
    request_line = head.split(b"\r\n", 1)[0].decode()
    assert request_line.startswith("GET /hook?site=a&command=syncGameData&") and body == b""
    names = [name.lower() for name, _ in header_pairs(head)]
    assert "content-type" not in names and names.count("user-agent") == 1


async def test_the_pages_send_dialog_sends_it_signed_by_the_configured_generic_secret(
        make_apps: AppsFactory) -> None:
    options = {"query": "sig", "payload": "{url}"}
    apps = await make_apps(secrets=(SecretSpec("hmac", KEY, options=options),))
    events = await (await apps.ui.get("/api/events")).json()
    assert events["telebothost"] == ["syncGameData"]
    response = await apps.ui.post("/api/send", json={"provider": "telebothost",
                                                     "event": "syncGameData"})
    answer = await response.json()
    assert response.status == 200 and answer["status"] == 200, answer
    assert answer["delivery_id"] is None and "the configured secret" in answer["signed_with"]
    assert KEY not in json.dumps(answer)
    (row,) = (await (await apps.ui.get("/api/requests")).json())["requests"]
    assert (row["provider"], row["event"], row["signature"]) == \
        ("telebothost", "syncGameData", "valid")
    unconfigured = await make_apps()
    sent = await (await unconfigured.ui.post("/api/send", json={"provider": "telebothost"})).json()
    assert sent["status"] == 200 and "generated test secret" in sent["signed_with"]


def hand_made(sig: str) -> Delivery:
    return Delivery("GET", "https://prod-api.telebothost.com/ownlang/webhook/1?command=sync"
                    f"&options=%7B%7D&sig={sig}&user=5", Headers([]), b"")


def test_a_short_signature_is_named_for_what_it_is_never_0_constructions() -> None:
    telebothost = get("telebothost")
    assert telebothost is not None
    short = telebothost.verify(hand_made("0123456789abcdef"), Key(KEY), 0)
    assert short.status == "invalid"
    assert "16 hex digits (8 bytes)" in short.reason and "truncated" in short.reason
    assert "0 constructions" not in short.reason
    garbled = telebothost.verify(hand_made("not-a-signature"), Key(KEY), 0).reason
    assert "nothing to try" in garbled and "0 constructions" not in garbled
    whole = telebothost.verify(hand_made("ab" * 32), Key(KEY), 0).reason
    assert "matches none of the" in whole and "0 constructions" not in whole


def test_verify_discover_says_why_nothing_was_tried(tmp_path: Path) -> None:
    result = run("verify", "discover", "--secret", KEY, "--url",
                 "https://example.com/hook?sig=0123456789abcdef", "--body", "{}", cwd=tmp_path)
    assert result.returncode == 1
    assert "nothing was tried" in result.stdout and "of 0 tried" not in result.stdout


def test_a_replay_re_signs_with_the_construction_discovery_found() -> None:
    from inspector.signatures import SignInput
    from inspector.signatures.discovered import TeleBotHost
    from inspector.signatures.generic import GenericHmac

    options = {"query": "sig", "payload": "{query}", "algorithm": "sha512"}
    unsigned = "https://prod-api.telebothost.com/hook?command=sync&options=%7B%7D&user=5"
    link = GenericHmac(options).sign(Key(KEY, options), SignInput(b"", unsigned, 0, "-")).url
    scheme = TeleBotHost()  # its own memory of what discovery found
    message = SignInput(b"", unsigned, 0, "-", method="GET")
    with pytest.raises(NotImplementedError, match="not published"):
        scheme.sign(Key(KEY), message)
    assert scheme.verify(Delivery("GET", link, Headers([]), b""), Key(KEY), 0).status == "valid"
    assert scheme.sign(Key(KEY), message).url == link
