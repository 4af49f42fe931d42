"""The seed providers' sample events, shaped as each one's documentation shows them."""

from __future__ import annotations

from typing import Any

from .template import ISO, MILLISECONDS, SECONDS, Fresh, Sample

# docs.bondify.dev/webhooks/events
BONDIFY = Sample("bondify", {
    "auth.confirmed": {"event": "auth.confirmed", "session_token": Fresh("sess_"),
                       "telegram_id": "123456789", "telegram_name": "Alex Johnson",
                       "telegram_username": "alexj", "confirmed_at": MILLISECONDS},
    "auth.cancelled": {"event": "auth.cancelled", "session_token": Fresh("sess_"),
                       "cancelled_at": MILLISECONDS},
})

# prime-bot.live/docs/webhooks: every event in the envelope {id, type, created_at, data}
PRIMEBOT_DATA: dict[str, dict[str, Any]] = {
    "ping": {"message": "Webhook endpoint registered"},
    "message.received": {"campaign_id": 1, "sender_id": 904,
                         "telegram_message_id": "1827361231", "body": "what's the pricing like?"},
    "message.sent": {"campaign_id": 1, "sender_id": 904, "telegram_message_id": "1827361232",
                     "body": "Hi! Plans start at $9/month."},
    "message.failed": {"campaign_id": 1, "sender_id": 905, "error": "PEER_FLOOD",
                       "body": "Hi! Plans start at $9/month."},
    "campaign.started": {"campaign_id": 1, "name": "Pricing replies", "status": "running"},
    "campaign.paused": {"campaign_id": 1, "name": "Pricing replies", "status": "paused"},
    "campaign.completed": {"campaign_id": 2, "name": "Spring broadcast", "status": "completed",
                           "sent_count": 312, "failed_count": 3},
    "sender.replied": {"campaign_id": 1, "sender_id": 904, "telegram_message_id": "1827361240",
                       "body": "sounds good, how do I sign up?"},
}
PRIMEBOT = Sample("primebot", {
    event: {"id": Fresh("evt_"), "type": event, "created_at": ISO, "data": data}
    for event, data in PRIMEBOT_DATA.items()})

# docs.bondio.co/webhooks: {type, timestamp} and the event's fields
BONDIO_PLAN = {"dataMegaBytes": 1024, "periodDays": 7, "periodIterations": 1,
               "throttledSpeedKbps": 128, "coverageProfileId": "cp_eu_1", "label": "Europe 1 GB"}
BONDIO_DATA: dict[str, dict[str, Any]] = {
    "subscription.activated": {"subscriptionId": "subs.dbrt3472j",
                               "esimIccid": "8988247000100000001"},
    "subscription.allowance.thresholdBreached": {"subscriptionId": "subs.dbrt3472j",
                                                 "breachedService": "data", "threshold": 80,
                                                 "esimIccid": "8988247000100000001"},
    "attachment.activated": {"data": {"esim": "89928374298342734", "plan": BONDIO_PLAN,
                                      "attachmentId": "pattch_3rnplcna"}},
    "attachment.allowanceConsumed": {"data": {"usagePercentage": 80,
                                              "dataUsageBytes": 858993459,
                                              "esim": "89928374298342734", "plan": BONDIO_PLAN,
                                              "attachmentId": "pattch_3rnplcna"}},
    "subscriptionV2.esim.locationChanged": {"data": {"esim": "89928374298342734",
                                                     "countryIso2": "AU"}},
    "esim.smdp.stateChanged": {"data": {"esim": "89928374298342734", "smdpStateChange": {
        "state": "RELEASED", "modifiedAt": SECONDS, "modificationResult": "SUCCESS"}}},
}
BONDIO = Sample("bondio", {event: {"type": event, "timestamp": SECONDS, **data}
                           for event, data in BONDIO_DATA.items()})

# tbl-static-docs.pages.dev/webhook-instance/user-webhook: a signed GET link, its values in the
# query (command, options as JSON, user, then any params); `send` writes the link from these
TELEBOTHOST = Sample("telebothost", {
    "syncGameData": {"command": "syncGameData", "options": {"level": 10}, "user": "5723455420",
                     "params": {"ref": "profile", "lang": "en"}},
})

SEEDS = (BONDIFY, PRIMEBOT, BONDIO, TELEBOTHOST)
