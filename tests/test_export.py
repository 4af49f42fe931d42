"""The cURL command reproduces the exact bytes, run by a real shell against a real listener."""

from __future__ import annotations

import asyncio
import shutil

import pytest

from .conftest import Apps, AppsFactory

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


@pytest.mark.parametrize("body", [
    b"", b'{"quote": "it\'s \\"x\\" 100% $HOME `id`"}\n', bytes(range(256)) * 2,
    "naïve ✓ text\r\nline two".encode(),
], ids=["empty", "shell-metacharacters", "binary", "utf8-crlf"])
async def test_curl_reproduces_method_path_headers_and_body(make_apps: AppsFactory,
                                                            body: bytes) -> None:
    apps: Apps = await make_apps()
    headers = {"X-Weird": "a'b\"c $(whoami)", "Content-Type": "application/octet-stream"}
    first = await apps.hooks.request("PATCH", "/p/a%20th?q=1&r='x'", data=body, headers=headers)
    original_id = (await first.json())["id"]
    command = await (await apps.ui.get(f"/api/requests/{original_id}/curl")).text()
    process = await asyncio.create_subprocess_shell(
        command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(process.communicate(), 15)
    assert process.returncode == 0, err
    copy_id = original_id + 1
    original = await (await apps.ui.get(f"/api/requests/{original_id}")).json()
    copy = await (await apps.ui.get(f"/api/requests/{copy_id}")).json()
    assert (copy["method"], copy["path"], copy["query"]) == ("PATCH", "/p/a%20th", "q=1&r='x'")
    assert await (await apps.ui.get(f"/api/requests/{copy_id}/raw")).read() == body
    assert chosen_headers(copy) == chosen_headers(original)


def chosen_headers(detail: dict) -> list[list[str]]:  # type: ignore[type-arg]
    return [h for h in detail["headers"] if h[0].lower() in ("x-weird", "content-type")]


@pytest.mark.parametrize(("method", "target", "body"), [
    ("POST", "/upload", b"@/etc/hostname"),
    ("POST", "/x{a,b}[1-2]?q={c,d}", b"glob"),
    ("POST", "/a/../b/./c", b""),
    ("HEAD", "/head", b""),
    ("GET", "/plain", b""),
], ids=["at-file", "globbing", "dot-segments", "head", "no-content-type"])
async def test_curl_sends_exactly_one_faithful_request(apps: Apps, method: str, target: str,
                                                       body: bytes) -> None:
    raw_head = b"%s %s HTTP/1.1\r\nHost: x\r\nX-Only: this\r\nContent-Length: %d\r\n\r\n" % (
        method.encode(), target.encode(), len(body))
    reader, writer = await asyncio.open_connection(apps.hooks.host, apps.hooks.port)
    writer.write(raw_head + body)
    await reader.readuntil(b"\r\n\r\n")
    writer.close()
    command = await (await apps.ui.get("/api/requests/1/curl")).text()
    process = await asyncio.create_subprocess_shell(
        command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(process.communicate(), 15)
    assert process.returncode == 0, err
    listed = (await (await apps.ui.get("/api/requests")).json())["requests"]
    assert len(listed) == 2  # one copy, not four (globbing) nor a hang (HEAD)
    original = await (await apps.ui.get("/api/requests/1")).json()
    copy = await (await apps.ui.get("/api/requests/2")).json()
    for field in ("method", "path", "query", "body_text", "body_base64"):
        assert copy.get(field) == original.get(field), field
    names = [name.lower() for name, _ in copy["headers"]]
    assert sorted(set(names) - {"host", "content-length"}) == ["x-only"]
