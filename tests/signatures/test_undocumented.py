"""Providers whose scheme no primary source documents: listed as such, detected only by a
documented header, and their verdicts say so instead of guessing a construction."""

from __future__ import annotations

import io
import json
from argparse import Namespace

import pytest

from inspector.commands import providers
from inspector.config import SecretSpec
from inspector.signatures import SCHEMES, Delivery, Headers, Key, get
from inspector.signatures.undocumented import ENTRIES, Undocumented, UndocumentedScheme

from ..conftest import AppsFactory

UNDOCUMENTED = [scheme for scheme in SCHEMES if isinstance(scheme, UndocumentedScheme)]
EXAMPLE = UndocumentedScheme(Undocumented(
    "example", source="https://example.com/docs/webhooks",
    known="its documentation names a signature header and nothing else",
    header="X-Example-Signature"))


def delivery(headers: dict[str, str]) -> Delivery:
    return Delivery("POST", "https://example.com/hook", Headers(headers.items()), b'{"a":1}')


def test_every_entry_is_registered_under_its_name_and_aliases() -> None:
    assert {scheme.name for scheme in UNDOCUMENTED} == {entry.name for entry in ENTRIES}
    for entry in ENTRIES:
        assert all(get(name) is get(entry.name) for name in entry.aliases)
        assert entry.source and entry.known


@pytest.mark.parametrize("scheme", [*UNDOCUMENTED, EXAMPLE], ids=lambda scheme: scheme.name)
def test_the_verdict_says_no_scheme_is_published_and_what_to_do(
        scheme: UndocumentedScheme) -> None:
    headers = {scheme.entry.header: "0123abcd"} if scheme.entry.header else {}
    verdict = scheme.verify(delivery(headers), Key("a-secret-that-stays-in"), 0)
    assert verdict.status == "unverified" and verdict.provider == scheme.name
    assert "publishes no signature scheme" in verdict.reason
    assert "verify discover" in verdict.reason and "`hmac`" in verdict.reason
    assert scheme.entry.source in verdict.reason
    assert "a-secret-that-stays-in" not in verdict.reason
    with pytest.raises(NotImplementedError, match="not published"):
        scheme.sign(Key("k"), None)  # type: ignore[arg-type]


def test_a_documented_header_detects_and_its_absence_is_missing() -> None:
    assert EXAMPLE.marker_headers == ("X-Example-Signature",)
    assert EXAMPLE.verify(delivery({}), Key("k"), 0).status == "missing"
    assert EXAMPLE.verify(delivery({"x-example-signature": "00"}), Key("k"), 0).status == \
        "unverified"


def test_without_a_documented_header_nothing_is_claimed() -> None:
    for scheme in UNDOCUMENTED:
        if scheme.entry.header is None:
            assert scheme.marker_headers == () and scheme.signature_headers == ()
            assert not scheme.detect_body(delivery({"X-Signature": "00"}))


def test_providers_lists_them_as_not_published() -> None:
    out = io.StringIO()
    assert providers.run(Namespace(), out) == 0
    lines = {line.split()[0]: line for line in out.getvalue().splitlines()}
    for scheme in UNDOCUMENTED:
        assert lines[scheme.name].endswith("[scheme not published]")
    assert lines["bondio"].endswith("[scheme not published]")
    assert "not published" not in lines["stripe"]


async def test_the_api_marks_them_and_a_capture_says_so(make_apps: AppsFactory) -> None:
    scheme = UNDOCUMENTED[0]
    apps = await make_apps(secrets=(SecretSpec(scheme.name, "kept-secret", paths=("/ws1",)),))
    listed = {p["name"]: p for p in await (await apps.ui.get("/api/providers")).json()}
    assert listed[scheme.name]["published"] is False and listed["stripe"]["published"] is True
    response = await apps.hooks.post("/ws1", data=json.dumps({"event": "x"}),
                                     headers={"Content-Type": "application/json"})
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    (verdict,) = detail["signatures"]
    assert verdict["status"] == "unverified"
    assert "publishes no signature scheme" in verdict["reason"]
    assert "kept-secret" not in json.dumps(detail)


def test_detected_without_a_secret_it_is_not_told_to_add_one() -> None:
    from inspector.analysis import unverified

    for scheme in (*UNDOCUMENTED, EXAMPLE):
        reason = unverified(scheme).reason
        assert "publishes no signature scheme" in reason and "--secret" not in reason
    assert "--secret stripe=" in unverified(get("stripe")).reason  # type: ignore[arg-type]
