"""The Send dialog offers only what `POST /api/send` can sign, learnt from `GET /api/send`, and
says why the others are not offered (real Chromium against the real CLI)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import Server, open_inspector


def test_the_send_dialog_leaves_out_what_cannot_be_signed_and_says_why(
        page: Any, server: Server) -> None:
    cannot_sign = page.request.get(server.ui_url + "/api/send").json()["cannot_sign"]
    events = page.request.get(server.ui_url + "/api/events").json()
    assert cannot_sign
    open_inspector(page, server)
    page.click("#send-button")
    expect(page.locator("#send-provider option")).to_have_count(len(events) - len(cannot_sign))
    offered = set(page.locator("#send-provider option").all_inner_texts())
    assert offered == set(events) - set(cannot_sign)
    note = page.locator("#send-not-offered")
    for name, why in cannot_sign.items():
        expect(note).to_contain_text(f"{name}: {why}")
