"""Providers that sign with another provider's header keep to their own requests, both ways."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from inspector.signatures import Delivery, Headers, Key, detect

SIGNED = "sha256=" + "0" * 64


def delivery(headers: dict[str, str], document: object) -> Delivery:
    return Delivery("POST", "https://example.com/hook", Headers(headers.items()),
                    json.dumps(document).encode())


def envelope(kind: str, **entry: object) -> dict[str, object]:
    return {"object": kind, "entry": [{"id": "1", "time": 1749416383, **entry}]}


CHANGES = {"changes": [{"field": "messages", "value": {}}]}
MESSAGING = {"messaging": [{"sender": {"id": "1"}, "recipient": {"id": "2"}, "timestamp": 1,
                            "message": {"mid": "m_1", "text": "hi"}}]}


@pytest.mark.parametrize(("document", "provider", "event"), [
    (envelope("whatsapp_business_account", **CHANGES), "whatsapp",
     "whatsapp_business_account.messages"),
    (envelope("instagram", **CHANGES), "instagram", "instagram.messages"),
    (envelope("instagram", **MESSAGING), "instagram", "instagram.message"),
    (envelope("page", **MESSAGING), "facebook-messenger", "page.message"),
    (envelope("page", changes=[{"field": "feed", "value": {}}]), "facebook-graph-api",
     "page.feed"),
    (envelope("user", changes=[{"field": "photos", "value": {}}]), "facebook-graph-api",
     "user.photos"),
])
def test_meta_envelopes_are_meta_products(document: object, provider: str, event: str) -> None:
    found = detect(delivery({"X-Hub-Signature-256": SIGNED}, document))
    assert found is not None and found.name == provider
    assert found.identify(delivery({}, document)).event == event


def test_github_deliveries_stay_github() -> None:
    push = {"ref": "refs/heads/main", "repository": {"full_name": "octo/app"}}
    marked = detect(delivery({"X-GitHub-Event": "push", "X-GitHub-Delivery": "d-1",
                              "X-Hub-Signature-256": SIGNED}, push))
    assert marked is not None and marked.name == "github"
    # GitHub's own headers win even over a body shaped like Meta's envelope.
    shaped = detect(delivery({"X-GitHub-Event": "push", "X-Hub-Signature-256": SIGNED},
                             envelope("page", **MESSAGING)))
    assert shaped is not None and shaped.name == "github"
    # The signature header alone, with a body that is not Meta's, is still GitHub's.
    bare = detect(delivery({"X-Hub-Signature-256": SIGNED}, push))
    assert bare is not None and bare.name == "github"


def test_an_envelope_without_meta_signature_is_nobodys() -> None:
    assert detect(delivery({}, envelope("page", **MESSAGING))) is None


def test_intercom_keeps_its_x_hub_signature() -> None:
    body = {"type": "notification_event", "topic": "conversation.user.created", "id": "n1"}
    found = detect(delivery({"X-Hub-Signature": "sha1=" + "0" * 40}, body))
    assert found is not None and found.name == "intercom"


def test_meta_signature_verifies_through_detection() -> None:
    secret = "app-secret"
    document = envelope("whatsapp_business_account", **CHANGES)
    body = json.dumps(document).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    request = Delivery("POST", "https://example.com/hook",
                       Headers([("X-Hub-Signature-256", signature)]), body)
    found = detect(request)
    assert found is not None and found.name == "whatsapp"
    assert found.verify(request, Key(secret), 0).status == "valid"
    assert found.verify(request, Key("other"), 0).status == "invalid"


def test_jira_is_told_from_intercom_and_bitbucket_by_its_body() -> None:
    issue = {"webhookEvent": "jira:issue_created", "issue": {"key": "TEST-1"}}
    jira = detect(delivery({"X-Hub-Signature": SIGNED}, issue))
    assert jira is not None and jira.name == "jira"
    assert jira.identify(delivery({}, issue)).event == "jira:issue_created"
    bitbucket = detect(delivery({"X-Hub-Signature": SIGNED, "X-Event-Key": "repo:push"}, issue))
    assert bitbucket is not None and bitbucket.name == "bitbucket"
    assert detect(delivery({}, issue)) is None


def test_teams_is_an_hmac_authorization_from_msteams_only() -> None:
    activity = {"type": "message", "id": "1", "channelId": "msteams", "text": "hi"}
    teams = detect(delivery({"Authorization": "HMAC abc="}, activity))
    assert teams is not None and teams.name == "microsoft-teams"
    assert detect(delivery({"Authorization": "Bearer abc"}, activity)) is None
    assert detect(delivery({"Authorization": "HMAC abc="}, {"type": "message"})) is None
