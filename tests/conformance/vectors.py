"""The seed providers' documentation examples (../shared/EVENTS.md gives their fields and the
places where the examples contradict the field tables), one per bundled seed schema, and what
each is documented to give: nothing, or exactly the conflicts recorded in the schema."""

from __future__ import annotations

from typing import Any

ICCID = "8988247000100000001"
ESIM = "89928374298342734"
PLAN = {"dataMegaBytes": 1024, "periodDays": 7, "periodIterations": 1,
        "throttledSpeedKbps": 128, "coverageProfileId": "cp_eu", "label": "Europe 1 GB"}


def primebot(event: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": "evt_01hx3k", "type": event, "created_at": "2026-04-21T16:02:41Z",
            "data": data}


def bondio(event: str, **fields: Any) -> dict[str, Any]:
    return {"type": event, "timestamp": 1776787361, **fields}


# schema name -> the example; each conforms with no finding
CONFORMING: dict[str, Any] = {
    "bondify/auth.confirmed": {
        "event": "auth.confirmed", "session_token": "sess_9f2a", "telegram_id": "123456789",
        "telegram_name": "Alex Johnson", "telegram_username": None,
        "confirmed_at": 1776787361000},
    "bondify/auth.cancelled": {"event": "auth.cancelled", "session_token": "sess_9f2a",
                               "cancelled_at": 1776787361000},
    "primebot/message.received": primebot("message.received", {
        "campaign_id": 12, "sender_id": 904, "telegram_message_id": "1827361231",
        "body": "what's the pricing like?"}),
    **{f"primebot/{event}": primebot(event, {}) for event in (
        "ping", "message.sent", "message.failed", "campaign.started", "campaign.paused",
        "campaign.completed", "sender.replied")},
    "bondio/subscription.allowance.thresholdBreached": bondio(
        "subscription.allowance.thresholdBreached", subscriptionId="subs.dbrt3472j",
        breachedService="data", threshold=80, esimIccid=ICCID),
    "bondio/subscriptionV2.esim.locationChanged": bondio(
        "subscriptionV2.esim.locationChanged", data={"esim": ESIM, "countryIso2": "AU"}),
    "bondio/attachment.allowanceConsumed": bondio(
        "attachment.allowanceConsumed", data={"usagePercentage": 80, "dataUsageBytes": 8.4e8,
                                              "esim": ESIM, "plan": PLAN,
                                              "attachmentId": "pattch_3rnplcna"}),
    "telebothost/*": {"command": "syncGameData", "options": {"level": 10}, "sig": "a1b2c3",
                      "user": "4242", "ref": "profile"},
    "standard-webhooks/*": {"type": "invoice.paid", "timestamp": "2026-04-21T16:02:41.344522Z",
                            "data": {"invoice": "in_1"}},
    "svix/*": {"type": "invoice.paid", "timestamp": "2026-04-21T16:02:41Z", "data": {}},
}

# Bondio's own examples where they contradict its tables: (the example, the findings it
# gives as (path, keyword, severity)); each of these findings carries the recorded note.
CONFLICTING: dict[str, tuple[Any, list[tuple[str, str, str]]]] = {
    "bondio/subscription.activated": (
        bondio("subscription.activated", subscriptionId="subs.dbrt3472j"),
        [("/esimIccid", "required", "error")]),
    "bondio/attachment.activated": (
        bondio("attachment.activated", data={"esim": ESIM, "planId": "plan_eu_1gb",
                                             "attachmentId": "pattch_3rnplcna"}),
        [("/data/plan", "required", "error"), ("/data/planId", "additionalProperties",
                                               "info")]),
    "bondio/attachment.allowanceConsumed": (
        bondio("attachment.allowanceConsumed", data={
            "usagePercentage": 50, "dataUsageBytes": 524288000, "esim": ESIM,
            "planId": "plan_eu_1gb", "attachmentId": "pattch_3rnplcna"}),
        [("/data/planId", "additionalProperties", "info")]),
    "bondio/esim.smdp.stateChanged": (
        bondio("esim.smdp.stateChanged", data={"esim": ESIM, "smdpStateChange": {
            "state": "RELEASED", "modifiedAt": 17892378963, "modificationResult": "SUCCESS"}}),
        [("/data/smdpStateChange/modifiedAt", "x-unit", "warning")]),
}
