"""What `send`'s samples carry beyond their schemas: ids as each provider writes them, new on
every send and the same wherever one body repeats them, and the seed providers' documented
fields (../shared/EVENTS.md)."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl

import pytest

from inspector.send.samples import EVENTS
from inspector.send.samples.template import Fresh, Text, render
from inspector.send.sender import plan_delivery

NOW = 1767225600.0
HEX40 = r"[0-9a-f]{40}"


def sent(provider: str, event: str | None = None) -> Any:
    return json.loads(plan_delivery(provider, event, "http://x/", None, time.time()).body)


def test_a_named_fresh_id_is_one_value_per_delivery_and_new_for_the_next() -> None:
    head = Fresh(length=40, name="head")
    body = {"after": head, "commit": {"id": head},
            "url": Text("https://example.com/compare/{0:.12}...{1:.12}", Fresh(length=40), head),
            "other": Fresh(length=40)}
    first, second = render(body, NOW, "d1"), render(body, NOW, "d2")
    assert re.fullmatch(HEX40, first["after"]) and first["commit"]["id"] == first["after"]
    assert first["url"].endswith("..." + first["after"][:12])
    assert re.fullmatch(r"https://example.com/compare/[0-9a-f]{12}\.\.\.[0-9a-f]{12}",
                        first["url"])
    assert first["other"] != first["after"] and second["after"] != first["after"]


def test_fresh_ids_of_every_kind_have_the_length_and_alphabet_asked() -> None:
    kinds = {"hex": r"[0-9a-f]", "alnum": r"[A-Za-z0-9]", "lower": r"[a-z0-9]",
             "upper": r"[A-Z0-9]", "digits": r"[0-9]"}
    for kind, letters in kinds.items():
        value = render(Fresh("x_", kind, 40), NOW, "d")  # type: ignore[arg-type]
        assert re.fullmatch(f"x_{letters}{{40}}", value), (kind, value)
    assert not render(Fresh(kind="digits", length=19), NOW, "d").startswith("0")


def test_githubs_push_names_one_commit_everywhere_and_a_new_one_each_send() -> None:
    push, again = sent("github"), sent("github")
    head = push["after"]
    assert re.fullmatch(HEX40, head) and re.fullmatch(HEX40, push["before"])
    assert push["head_commit"]["id"] == push["commits"][0]["id"] == head
    assert push["head_commit"]["url"].endswith("/commit/" + head)
    assert push["compare"] == ("https://github.com/Codertocat/Hello-World/compare/"
                               f"{push['before'][:12]}...{head[:12]}")
    assert again["after"] != head


def test_gitlabs_push_checks_out_its_head_commit() -> None:
    push = sent("gitlab")
    assert push["checkout_sha"] == push["after"] == push["commits"][0]["id"]
    assert re.fullmatch(HEX40, push["before"]) and push["before"] != push["after"]


@pytest.mark.parametrize(("provider", "path", "pattern"), [
    ("paddle", ("event_id",), r"evt_[a-z0-9]{26}"),
    ("checkout-com", ("id",), r"evt_[a-z0-9]{26}"),
    ("mollie", ("id",), r"event_[A-Za-z0-9]{21}"),
    ("gocardless", ("events", 0, "id"), r"EV[A-Z0-9]{12}"),
    ("intercom", ("id",), r"notif_[0-9a-f-]{36}"),
    ("discord", ("id",), r"[1-9][0-9]{18}"),
    ("slack", ("event_id",), r"Ev[A-Z0-9]{10}"),
    ("mongodb", ("id",), r"[0-9a-f]{24}"),
    ("persona", ("data", "id"), r"evt_[A-Za-z0-9]{24}"),
    ("alchemy", ("id",), r"whevt_[a-z0-9]{16}"),
    ("fourthwall", ("id",), r"weve_[A-Za-z0-9]{22}"),
])
def test_event_ids_look_like_the_providers_own_and_are_new_each_send(
        provider: str, path: tuple[Any, ...], pattern: str) -> None:
    def event_id() -> str:
        value: Any = sent(provider)
        for step in path:
            value = value[step]
        assert isinstance(value, str) and re.fullmatch(pattern, value), value
        return value
    assert event_id() != event_id()


@pytest.mark.parametrize("provider", ["coinify", "rootly", "pagerduty", "zendesk", "mux"])
def test_event_ids_documented_as_uuids_are_uuid4s(provider: str) -> None:
    body = sent(provider)
    event_id = (body.get("event") if provider in ("rootly", "pagerduty") else body)["id"]
    assert uuid.UUID(event_id).version == 4


def test_ids_a_body_repeats_are_the_same_value() -> None:
    square = sent("square")["data"]
    assert square["id"] == square["object"]["payment"]["id"]
    replicate = sent("replicate")
    assert replicate["urls"]["get"].endswith("/predictions/" + replicate["id"])
    circleci = sent("circleci")["workflow"]
    assert circleci["url"].endswith("/workflows/" + circleci["id"])
    form = dict(parse_qsl(plan_delivery("twilio", None, "http://x/", None, NOW).body.decode()))
    assert form["MessageSid"] == form["SmsSid"] == form["SmsMessageSid"]


def test_the_bondio_samples_carry_the_fields_its_tables_document() -> None:
    """../shared/EVENTS.md, Bondio: each event's documented fields, by their documented names."""
    def built(event: str) -> Any:
        return EVENTS["bondio"][event](NOW, "d")
    breached = built("subscription.allowance.thresholdBreached")
    assert breached["breachedService"] in ("data", "voice", "sms") and "service" not in breached
    plan = built("attachment.activated")["data"]["plan"]
    assert set(plan) == {"dataMegaBytes", "periodDays", "periodIterations",
                         "throttledSpeedKbps", "coverageProfileId", "label"}
    consumed = built("attachment.allowanceConsumed")["data"]
    assert {"usagePercentage", "dataUsageBytes", "esim", "attachmentId"} <= set(consumed)
    assert 0 <= consumed["usagePercentage"] <= 100
    assert set(built("subscriptionV2.esim.locationChanged")["data"]) == {"esim", "countryIso2"}
    change = built("esim.smdp.stateChanged")["data"]["smdpStateChange"]
    assert set(change) == {"state", "modifiedAt", "modificationResult"}
    assert change["modifiedAt"] == int(NOW)
    for event in EVENTS["bondio"]:
        body = built(event)
        assert body["type"] == event and body["timestamp"] == int(NOW)


def test_the_standard_webhooks_envelope_is_type_timestamp_and_data() -> None:
    """standardwebhooks.com: the payload is {type, timestamp, data}; the id is a header."""
    for provider in ("standard-webhooks", "svix"):
        body = sent(provider)
        assert set(body) == {"type", "timestamp", "data"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["timestamp"])
