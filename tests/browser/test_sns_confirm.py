"""An SNS subscription confirmation shows a Confirm button; the inspector calls out only on the
click, and never to a SubscribeURL off SNS's own hosts (the page says why; refused before
anything, the certificate included, is fetched)."""

from __future__ import annotations

import http.server
from typing import Any

from playwright.sync_api import expect

from ..signatures.test_sns import TEST_TOPIC, resign
from ..upstream import threaded_server
from .conftest import Server, open_inspector


class Counting(http.server.BaseHTTPRequestHandler):
    calls = 0

    def do_GET(self) -> None:
        Counting.calls += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


def test_confirm_is_offered_and_never_calls_off_sns(page: Any, server: Server) -> None:
    with threaded_server(Counting) as port:
        document = {"Type": "SubscriptionConfirmation", "MessageId": "c-1", "Token": "2336412f",
                    "TopicArn": TEST_TOPIC, "Message": "You have chosen to subscribe.",
                    "SubscribeURL": f"http://127.0.0.1:{port}/confirm",
                    "Timestamp": "2026-01-01T00:00:00.000Z", "SignatureVersion": "2",
                    "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-c.pem"}
        request_id = server.send("/sns", resign(document), {
            "x-amz-sns-message-type": "SubscriptionConfirmation"})
        open_inspector(page, server, f"/requests/{request_id}")
        button = page.locator("#confirm-subscription")
        expect(button).to_be_visible()
        assert Counting.calls == 0  # shown, not called
        button.click()
        expect(page.locator("#toast")).to_be_visible(timeout=5000)
        notice = page.locator("#toast").inner_text()
        assert "the inspector calls only SNS" in notice, notice
        assert Counting.calls == 0
