"""Amazon SNS: certificates only from SNS hosts and only from the cache an edge fills (never a
connection from verification), the topic check, and SubscriptionConfirmation at capture."""

from __future__ import annotations

import base64
import json
import socket
from typing import Any

import pytest
from aiohttp import web
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from inspector.config import SecretSpec
from inspector.outbound import client_session
from inspector.signatures import Delivery, Headers, Key, SignInput, get
from inspector.signatures.sns import (
    CERTIFICATES,
    TEST_CERTIFICATE_URL,
    TEST_TOPIC,
    certificate_url_problem,
    rsa_pair,
    string_to_sign,
)
from inspector.ui.api_sns import SUBSCRIBE_URL_RULE, fetch_certificate
from inspector.ui.app import create_ui_app

from ..conftest import Apps, AppsFactory

NOW = 1767225600.0
KEYS = rsa_pair()


def scheme() -> Any:
    found = get("sns")
    assert found is not None
    return found


def notification(certificate_url: str) -> bytes:
    """A Notification signed by KEYS' private key, naming `certificate_url`."""
    signed = scheme().sign(Key(KEYS[0]), SignInput(body=b'{"order": 1}', url="https://x/",
                                                   now=NOW, message_id="m-1"))
    document = json.loads(signed.body)
    document["SigningCertURL"] = certificate_url
    return resign(document)


def resign(document: dict[str, Any], key: str = KEYS[0]) -> bytes:
    private = serialization.load_pem_private_key(key.encode(), None)
    assert isinstance(private, rsa.RSAPrivateKey)
    signature = private.sign(string_to_sign(document), padding.PKCS1v15(), hashes.SHA256())
    return json.dumps({**document, "Signature": base64.b64encode(signature).decode()}).encode()


def verdict_of(body: bytes, secret: str) -> Any:
    delivery = Delivery("POST", "https://abc.ngrok.app/sns",
                        Headers([("x-amz-sns-message-type", "Notification")]), body)
    return scheme().verify(delivery, Key(secret), NOW)


@pytest.mark.parametrize("url", [
    "http://sns.us-east-1.amazonaws.com/a.pem", "https://sns.us-east-1.amazonaws.com.evil/a.pem",
    "https://evil.example/sns.us-east-1.amazonaws.com/a.pem", "https://u:p@sns.us-east-1.amazonaws.com/a.pem",
    "https://sns.us-east-1.amazonaws.com:8443/a.pem", "https://sns.us-east-1.amazonaws.com/a.txt",
    "https://s3.us-east-1.amazonaws.com/a.pem", "https://[::1/a.pem",
])
def test_a_certificate_url_off_sns_is_refused_and_never_cached(url: str) -> None:
    assert certificate_url_problem(url) is not None
    with pytest.raises(ValueError):
        CERTIFICATES.remember(url, KEYS[1].encode())
    result = verdict_of(notification(url), "*")
    assert result.status == "invalid" and "SigningCertURL" in result.reason


def test_without_a_cached_certificate_the_verdict_says_so_then_verifies_once_cached() -> None:
    url = "https://sns.eu-west-3.amazonaws.com/SimpleNotificationService-cache-test.pem"
    assert certificate_url_problem(url) is None
    body = notification(url)
    before = verdict_of(body, "*")
    assert before.status == "unverified" and "not been fetched" in before.reason
    CERTIFICATES.remember(url, KEYS[1].encode())
    assert verdict_of(body, "*").status == "valid"
    assert verdict_of(body, TEST_TOPIC).status == "valid"
    other_topic = verdict_of(body, "arn:aws:sns:eu-west-3:123456789012:Other")
    assert other_topic.status == "invalid" and "TopicArn" in other_topic.reason


def test_verification_opens_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("verification tried to connect")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for url in ("https://sns.ap-south-1.amazonaws.com/never-fetched.pem",
                "https://attacker.example/cert.pem"):
        assert verdict_of(notification(url), "*").status in ("unverified", "invalid")


async def test_subscription_confirmation_is_shown_as_such(make_apps: AppsFactory) -> None:
    document = {"Type": "SubscriptionConfirmation", "MessageId": "165545c9", "Token": "2336412f",
                "TopicArn": TEST_TOPIC, "Message": "You have chosen to subscribe to the topic.",
                "SubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription",
                "Timestamp": "2026-01-01T00:00:00.000Z", "SignatureVersion": "2",
                "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem"}
    apps = await make_apps(secrets=(SecretSpec("sns", KEYS[1]),))
    response = await apps.hooks.post("/sns", data=resign(document), headers={
        "x-amz-sns-message-type": "SubscriptionConfirmation", "x-amz-sns-message-id": "165545c9",
        "Content-Type": "text/plain; charset=UTF-8"})
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    assert detail["provider"] == "sns" and detail["event"] == "SubscriptionConfirmation"
    assert [v["status"] for v in detail["signatures"]] == ["valid"], detail["signatures"]


class SubscribeEndpoint:
    """A loopback stand-in for SNS's ConfirmSubscription URL, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.calls += 1
        return web.Response(text="<ConfirmSubscriptionResponse/>", content_type="text/xml")


async def confirmation_stored(apps: Apps, subscribe_url: str, key: str = KEYS[0]) -> int:
    document = {"Type": "SubscriptionConfirmation", "MessageId": "c-1", "Token": "2336412f",
                "TopicArn": TEST_TOPIC, "Message": "You have chosen to subscribe.",
                "SubscribeURL": subscribe_url, "Timestamp": "2026-01-01T00:00:00.000Z",
                "SignatureVersion": "2",
                "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-c.pem"}
    response = await apps.hooks.post("/sns", data=resign(document, key), headers={
        "x-amz-sns-message-type": "SubscriptionConfirmation"})
    return int((await response.json())["id"])


@pytest.fixture
async def subscribe_endpoint(aiohttp_server: Any) -> tuple[SubscribeEndpoint, str]:
    endpoint = SubscribeEndpoint()
    app = web.Application()
    app.router.add_get("/confirm", endpoint.handle)
    server = await aiohttp_server(app)
    return endpoint, str(server.make_url("/confirm?Action=ConfirmSubscription"))


async def test_confirm_gets_the_subscribe_url_only_on_the_call_and_only_where_allowed(
        make_apps: AppsFactory, aiohttp_client: Any,
        subscribe_endpoint: tuple[SubscribeEndpoint, str]) -> None:
    endpoint, url = subscribe_endpoint
    apps = await make_apps(secrets=(SecretSpec("sns", KEYS[1]),))
    request_id = await confirmation_stored(apps, url)
    assert endpoint.calls == 0  # capture never calls out
    refused = await apps.ui.post(f"/api/requests/{request_id}/confirm")  # the real rule
    assert refused.status == 400 and "SubscribeURL" in (await refused.json())["error"]
    assert endpoint.calls == 0
    ui = create_ui_app(apps.inspector)
    ui[SUBSCRIBE_URL_RULE] = lambda target: None if target == url else "not the test's URL"
    client = await aiohttp_client(ui)
    confirmed = await client.post(f"/api/requests/{request_id}/confirm")
    assert confirmed.status == 200
    assert (await confirmed.json())["confirmed"] is True and endpoint.calls == 1


async def test_confirm_refuses_a_forged_confirmation_and_a_notification(
        make_apps: AppsFactory, aiohttp_client: Any,
        subscribe_endpoint: tuple[SubscribeEndpoint, str]) -> None:
    endpoint, url = subscribe_endpoint
    apps = await make_apps(secrets=(SecretSpec("sns", KEYS[1]),))
    forged = await confirmation_stored(apps, url, key=rsa_pair()[0])
    ui = create_ui_app(apps.inspector)
    ui[SUBSCRIBE_URL_RULE] = lambda target: None
    client = await aiohttp_client(ui)
    refused = await client.post(f"/api/requests/{forged}/confirm")
    assert refused.status == 409 and "invalid" in (await refused.json())["error"]
    response = await apps.hooks.post("/sns", data=notification(TEST_CERTIFICATE_URL))
    notified = (await response.json())["id"]
    assert (await client.post(f"/api/requests/{notified}/confirm")).status == 409
    assert endpoint.calls == 0


async def test_a_certificate_is_fetched_from_sns_only(
        subscribe_endpoint: tuple[SubscribeEndpoint, str]) -> None:
    endpoint, url = subscribe_endpoint
    async with client_session() as session:
        for target in (url.replace("/confirm", "/cert.pem"), "https://attacker.example/a.pem"):
            problem = await fetch_certificate(session, target)
            assert problem is not None and "SigningCertURL" in problem
            assert CERTIFICATES.get(target) is None
    assert endpoint.calls == 0


async def test_the_certificate_action_refuses_what_is_not_sns(
        make_apps: AppsFactory, subscribe_endpoint: tuple[SubscribeEndpoint, str]) -> None:
    endpoint, url = subscribe_endpoint
    apps = await make_apps(secrets=(SecretSpec("sns", "*"),))
    stored = await apps.hooks.post("/sns", data=notification(url.replace("/confirm", "/c.pem")),
                                   headers={"x-amz-sns-message-type": "Notification"})
    stored_id = (await stored.json())["id"]
    detail = await (await apps.ui.get(f"/api/requests/{stored_id}")).json()
    assert [v["status"] for v in detail["signatures"]] == ["invalid"]
    refused = await apps.ui.post(f"/api/requests/{stored_id}/certificate")
    assert refused.status == 400 and "SigningCertURL" in (await refused.json())["error"]
    plain = await apps.hooks.post("/other", data=b"not sns")
    assert (await apps.ui.post(f"/api/requests/{(await plain.json())['id']}/certificate")
            ).status == 409
    assert endpoint.calls == 0
