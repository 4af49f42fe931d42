"""Realistic sample events per provider, shaped as each provider's documentation shows them.

Each builder takes the moment of sending and a delivery id and returns the JSON payload (Twilio's
and Slack's are forms, returned as lists of pairs).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

Payload = dict[str, Any] | list[Any] | list[tuple[str, str]]
Builder = Callable[[float, str], Payload]


def iso(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def short_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:16]}"


# docs.bondify.dev/webhooks/events
def bondify_confirmed(now: float, delivery: str) -> Payload:
    return {"event": "auth.confirmed", "session_token": short_id("sess_"),
            "telegram_id": "123456789", "telegram_name": "Alex Johnson",
            "telegram_username": "alexj", "confirmed_at": int(now * 1000)}


def bondify_cancelled(now: float, delivery: str) -> Payload:
    return {"event": "auth.cancelled", "session_token": short_id("sess_"),
            "cancelled_at": int(now * 1000)}


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


def primebot(event: str) -> Builder:
    def build(now: float, delivery: str) -> Payload:
        return {"id": short_id("evt_"), "type": event, "created_at": iso(now),
                "data": dict(PRIMEBOT_DATA[event])}
    return build


# docs.bondio.co/webhooks
BONDIO_DATA: dict[str, dict[str, Any]] = {
    "subscription.activated": {"subscriptionId": "subs.dbrt3472j",
                               "esimIccid": "8988247000100000001"},
    "subscription.allowance.thresholdBreached": {"subscriptionId": "subs.dbrt3472j",
                                                 "service": "data", "threshold": 80,
                                                 "esimIccid": "8988247000100000001"},
    "attachment.activated": {"data": {"esim": "89928374298342734", "attachmentId":
                                      "pattch_3rnplcna", "plan": {"dataMegaBytes": 1024,
                                                                  "periodDays": 7}}},
    "attachment.allowanceConsumed": {"data": {"esim": "89928374298342734",
                                              "attachmentId": "pattch_3rnplcna",
                                              "percentage": 80}},
    "subscriptionV2.esim.locationChanged": {"data": {"esim": "89928374298342734",
                                                     "country": "AU", "mcc": "505"}},
    "esim.smdp.stateChanged": {"data": {"esim": "89928374298342734", "state": "INSTALLED"}},
}


def bondio(event: str) -> Builder:
    def build(now: float, delivery: str) -> Payload:
        return {"type": event, "timestamp": int(now), **BONDIO_DATA[event]}
    return build


# tbl-static-docs.pages.dev/webhook-instance/handle-webhook: a link may be opened with a body
def telebothost_link(command: str) -> Builder:
    def build(now: float, delivery: str) -> Payload:
        return {"command": command, "options": {"level": 10}, "params": {"ref": "profile"}}
    return build


def typed(kind: str, key: str = "type", id_key: str = "id", **extra: Any) -> Builder:
    """A JSON event whose type and id sit at the top, as many providers send."""
    def build(now: float, delivery: str) -> Payload:
        return {id_key: delivery, key: kind, **extra}
    return build


def stripe_event(now: float, delivery: str) -> Payload:
    return {"id": delivery, "object": "event", "api_version": "2024-06-20",
            "created": int(now), "type": "payment_intent.succeeded", "livemode": False,
            "data": {"object": {"id": short_id("pi_"), "object": "payment_intent",
                                "amount": 2000, "currency": "usd", "status": "succeeded"}}}


def github_push(now: float, delivery: str) -> Payload:
    return {"ref": "refs/heads/main", "before": "0" * 40, "after": "a" * 40,
            "repository": {"full_name": "octo/app"}, "pusher": {"name": "octocat"}}


def slack_event(now: float, delivery: str) -> Payload:
    return {"token": "verification-token", "team_id": "T0001", "type": "event_callback",
            "event_id": delivery, "event_time": int(now),
            "event": {"type": "app_mention", "user": "U0001", "text": "<@U0002> deploy",
                      "channel": "C0001", "ts": f"{now:.6f}"}}


def twilio_sms(now: float, delivery: str) -> Payload:
    return [("MessageSid", short_id("SM")), ("AccountSid", "AC" + "0" * 32),
            ("From", "+15550001111"), ("To", "+15550002222"), ("Body", "Hello there"),
            ("MessageStatus", "received")]


def telegram_message(now: float, delivery: str) -> Payload:
    return {"update_id": int(now) % 10**9, "message": {
        "message_id": 1, "date": int(now), "text": "/start",
        "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "first_name": "Alex"}}}


def discord_ping(now: float, delivery: str) -> Payload:
    return {"id": delivery, "type": 1, "application_id": "1234567890", "version": 1}


def sendgrid_events(now: float, delivery: str) -> Payload:
    return [{"email": "user@example.com", "timestamp": int(now), "event": "delivered",
             "sg_event_id": delivery, "sg_message_id": short_id("msg.")}]


def mailgun_event(now: float, delivery: str) -> Payload:
    return {"event-data": {"event": "delivered", "id": short_id(""), "timestamp": now,
                           "recipient": "user@example.com"}}


def zoom_event(now: float, delivery: str) -> Payload:
    return {"event": "meeting.started", "event_ts": int(now * 1000),
            "payload": {"account_id": "AAAA", "object": {"id": "85746065432",
                                                          "topic": "Standup"}}}


def linear_event(now: float, delivery: str) -> Payload:
    return {"action": "create", "type": "Issue", "webhookTimestamp": int(now * 1000),
            "data": {"id": delivery, "title": "Fix the login bug", "priority": 2},
            "url": "https://linear.app/team/issue/ENG-1"}


def twitch_event(now: float, delivery: str) -> Payload:
    return {"subscription": {"id": short_id(""), "type": "channel.follow", "version": "2",
                             "status": "enabled"},
            "event": {"user_id": "1234", "user_login": "cool_user",
                      "broadcaster_user_id": "1337", "followed_at": iso(now)}}


def paddle_event(now: float, delivery: str) -> Payload:
    return {"event_id": delivery, "event_type": "transaction.completed", "occurred_at": iso(now),
            "notification_id": short_id("ntf_"),
            "data": {"id": short_id("txn_"), "status": "completed", "currency_code": "USD"}}


def square_event(now: float, delivery: str) -> Payload:
    return {"merchant_id": "MLEFBHHSJGVHD", "type": "payment.updated", "event_id": delivery,
            "created_at": iso(now), "data": {"type": "payment", "id": short_id("KkAk"),
                                             "object": {"payment": {"status": "COMPLETED"}}}}


def coinbase_charge(now: float, delivery: str) -> Payload:
    """docs.cdp.coinbase.com commerce webhooks: the event sits under `event`."""
    return {"id": delivery, "scheduled_for": iso(now), "attempt_number": 1,
            "event": {"id": short_id(""), "type": "charge:confirmed", "api_version": "2018-03-22",
                      "created_at": iso(now), "data": {"code": "66BEOV2A", "name": "Tee"}}}


def castle_incident(now: float, delivery: str) -> Payload:
    """docs.castle.io/docs/subscribe-to-webhooks (example payload)."""
    return {"api_version": "v1", "app_id": "368721375658952", "type": "$incident.confirmed",
            "risk": 0.98, "created_at": iso(now),
            "data": {"id": delivery, "device_token": short_id("eyJ"), "user_id": "u_1"}}


def autodesk_version_added(now: float, delivery: str) -> Payload:
    """aps.autodesk.com webhooks callbacks: the hook (with its event) beside the payload."""
    return {"version": "1.0", "resourceUrn": "urn:adsk.wipprod:fs.file:vf.abc?version=2",
            "hook": {"hookId": delivery, "system": "data", "event": "dm.version.added",
                     "tenant": "urn:adsk.wipprod:fs.folder:co.abc"},
            "payload": {"name": "model.rvt", "version": "2", "creator": "ABCDEF"}}


def shopify_order(now: float, delivery: str) -> Payload:
    return {"id": 820982911946154508, "email": "jon@example.com", "total_price": "199.00",
            "currency": "USD", "created_at": iso(now)}


# orb-billing's webhook event types: {id, created_at, type, properties, <resource>}
def orb_customer_created(now: float, delivery: str) -> Payload:
    return {"id": delivery, "created_at": iso(now), "type": "customer.created",
            "properties": {}, "payload_style": "standard",
            "customer": {"id": short_id("cus_"), "external_customer_id": "acme-42",
                         "name": "Acme Corp", "email": "billing@acme.example",
                         "currency": "USD", "timezone": "Etc/UTC"}}


# docs.sentry.io integration-platform webhooks: {action, installation, data, actor}
def sentry_issue(now: float, delivery: str) -> Payload:
    return {"action": "created", "installation": {"uuid": str(uuid.uuid4())},
            "data": {"issue": {"id": "1170820242", "shortId": "APP-1", "title": "TypeError",
                               "status": "unresolved", "level": "error"}},
            "actor": {"type": "application", "id": "sentry", "name": "Sentry"}}


# developer.hashicorp.com notification-configurations: the run notification payload (version 1)
def terraform_run(now: float, delivery: str) -> Payload:
    return {"payload_version": 1, "notification_configuration_id": "nc-AeUQ2zfKZzW9TiGZ",
            "run_url": "https://app.terraform.io/app/acme-org/my-workspace/runs/run-Fwn",
            "run_id": "run-FwnENkvDnrpyFC7M", "run_message": "Add five new queue workers",
            "run_created_at": iso(now), "run_created_by": "sample-user",
            "workspace_id": "ws-XdeUVMWShTesDMME", "workspace_name": "my-workspace",
            "organization_name": "acme-org",
            "notifications": [{"message": "Run Completed", "trigger": "run:completed",
                               "run_status": "applied", "run_updated_at": iso(now),
                               "run_updated_by": "sample-user"}]}


# launchdarkly.com/docs/api/webhooks: an audit log entry
def launch_darkly_flag(now: float, delivery: str) -> Payload:
    return {"_id": delivery, "date": int(now * 1000), "kind": "flag", "name": "New checkout",
            "description": "- Turned on the flag in Production",
            "accesses": [{"action": "updateOn",
                          "resource": "proj/default:env/production:flag/new-checkout"}],
            "member": {"email": "ariel@acme.com", "firstName": "Ariel", "lastName": "Flores"}}


# developers.tiktok.com/doc/webhooks-events: {client_key, event, create_time, user_openid, content}
def tiktok_event(now: float, delivery: str) -> Payload:
    return {"client_key": "bwo2m45353a6k85", "event": "authorization.removed",
            "create_time": int(now), "user_openid": "act.example12345Example12345Example",
            "content": "{\"reason\": 1 }"}


# AdobeDocs/frameio-api Webhooks guide: {type, resource, account, project, user, workspace}
def frameio_file_ready(now: float, delivery: str) -> Payload:
    return {"type": "file.ready", "resource": {"id": str(uuid.uuid4()), "type": "file"},
            "account": {"id": "6f70f1bd-7e89-4a7e-b4d3-7e576585a181"},
            "project": {"id": "7e46e495-4444-4555-8649-bee4d391a997"},
            "user": {"id": "56556a3f-859f-4b38-b6c6-e8625b5da8a5"},
            "workspace": {"id": "378fcbf7-6f88-4224-8139-6a743ed940b2"}}


# heroku/webhooks-docs docs/event-examples: {action, actor, data, id, resource, ...}
def heroku_release(now: float, delivery: str) -> Payload:
    return {"action": "create", "actor": {"email": "user-0436@example.com",
                                          "id": "096370c8-f3ad-4e20-a309-fb4f06ec0a89"},
            "created_at": iso(now), "id": delivery, "resource": "release",
            "data": {"id": str(uuid.uuid4()), "version": 42, "status": "succeeded",
                     "description": "Deploy 1a2b3c4", "app": {"name": "sample-app-0301"}},
            "previous_data": {}, "published_at": None, "sequence": None, "updated_at": iso(now),
            "version": "application/vnd.heroku+json; version=3",
            "webhook_metadata": {"delivery": {"id": str(uuid.uuid4())},
                                 "event": {"id": delivery, "include": "api:release"}}}


# clerk.com/docs webhooks: {data, object: "event", type}
def clerk_user_created(now: float, delivery: str) -> Payload:
    return {"object": "event", "type": "user.created", "timestamp": int(now * 1000),
            "data": {"id": short_id("user_"), "object": "user", "first_name": "Example",
                     "created_at": int(now * 1000), "email_addresses": []}}


# resend.com/docs webhooks: {type, created_at, data}
def resend_email_sent(now: float, delivery: str) -> Payload:
    return {"type": "email.sent", "created_at": iso(now),
            "data": {"email_id": str(uuid.uuid4()), "from": "Acme <onboarding@resend.dev>",
                     "to": ["delivered@resend.dev"], "subject": "Sending this example"}}


# replicate.com/docs webhooks: the prediction object itself
def replicate_prediction(now: float, delivery: str) -> Payload:
    return {"id": short_id("p"), "version": "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca9",
            "status": "succeeded", "input": {"prompt": "an astronaut riding a horse"},
            "output": ["https://replicate.delivery/pbxt/out-0.png"],
            "created_at": iso(now - 4), "completed_at": iso(now)}


# docs.pinwheelapi.com webhooks: {event, event_id, payload}
def pinwheel_account_added(now: float, delivery: str) -> Payload:
    return {"event": "account.added", "event_id": delivery,
            "payload": {"account_id": str(uuid.uuid4()), "end_user_id": "my_user_12345",
                        "platform_name": "Justworks", "created_at": iso(now),
                        "connected": True, "monitoring_status": "active"}}


# developers.facebook.com/docs/graph-api/webhooks (the envelope), whatsapp cloud-api webhooks,
# messenger-platform webhooks, instagram-platform webhooks: one envelope, `object` per product
def meta_envelope(kind: str, entry: dict[str, Any]) -> Builder:
    def build(now: float, delivery: str) -> Payload:
        return {"object": kind, "entry": [{"time": int(now), **entry}]}
    return build


WHATSAPP_MESSAGE = {"id": "102290129340398", "changes": [{"field": "messages", "value": {
    "messaging_product": "whatsapp",
    "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
    "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
    "messages": [{"from": "16505551234", "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFF",
                  "timestamp": "1749416383", "type": "text",
                  "text": {"body": "Does it come in another color?"}}]}}]}
INSTAGRAM_COMMENT = {"id": "17841405822304914", "changes": [{"field": "comments", "value": {
    "id": "17865799348089039", "from": {"id": "1234567890", "username": "ada"},
    "media": {"id": "17895695668004550", "media_product_type": "FEED"},
    "text": "Love this!"}}]}
MESSENGER_MESSAGE = {"id": "106540352242922", "messaging": [{
    "sender": {"id": "6758483014240813"}, "recipient": {"id": "106540352242922"},
    "timestamp": 1749416383000,
    "message": {"mid": "m_1457764197618:41d102a3e1ae206a38", "text": "hello, world!"}}]}
USER_PHOTOS = {"id": "10210299214172187", "uid": "10210299214172187", "changes": [
    {"field": "photos", "value": {"verb": "update", "object_id": "10211885744794461"}}]}


# woocommerce.github.io/woocommerce-rest-api-docs (order properties); the topic is a header
def woocommerce_order(now: float, delivery: str) -> Payload:
    return {"id": 727, "status": "processing", "currency": "USD", "total": "29.35",
            "date_created_gmt": iso(now).rstrip("Z"), "payment_method": "bacs",
            "billing": {"first_name": "John", "last_name": "Doe", "email": "john.doe@example.com"},
            "line_items": [{"id": 315, "name": "Woo Single #1", "quantity": 2, "total": "6.00"}]}


# vercel.com/docs/webhooks: {id, type, createdAt, payload}
def vercel_deployment(now: float, delivery: str) -> Payload:
    return {"id": delivery, "type": "deployment.created", "createdAt": int(now * 1000),
            "payload": {"deployment": {"id": short_id("dpl_"), "name": "my-app",
                                       "url": "my-app-git-main.vercel.app"},
                        "project": {"id": short_id("prj_")}, "target": "production"}}


# cal.com: {triggerEvent, createdAt, payload} (sendPayload.ts)
def cal_booking(now: float, delivery: str) -> Payload:
    return {"triggerEvent": "BOOKING_CREATED", "createdAt": iso(now),
            "payload": {"title": "30 min between Ada and Alan", "type": "30min",
                        "startTime": iso(now + 86400), "endTime": iso(now + 88200),
                        "uid": delivery, "organizer": {"name": "Ada", "email": "ada@example.com",
                                                       "timeZone": "Europe/London"},
                        "attendees": [{"name": "Alan", "email": "alan@example.com",
                                       "timeZone": "Europe/London"}]}}


# lemonsqueezy.com/docs/api/webhooks: a JSON:API resource with meta.event_name
def lemon_order(now: float, delivery: str) -> Payload:
    return {"meta": {"event_name": "order_created"},
            "data": {"type": "orders", "id": "1", "attributes": {
                "store_id": 1, "identifier": delivery, "order_number": 1,
                "user_name": "Darlene Daugherty", "user_email": "gernser@example.com",
                "currency": "USD", "subtotal": 999, "tax": 200, "total": 1199,
                "status": "paid", "created_at": iso(now)}}}


# sanity.io webhooks: the body is the document (or its projection)
def sanity_document(now: float, delivery: str) -> Payload:
    return {"_id": delivery, "_type": "post", "_rev": short_id(""), "title": "Hello, world",
            "slug": {"_type": "slug", "current": "hello-world"}, "_updatedAt": iso(now)}


# developer.atlassian.com/cloud/trello: {action, model}
def trello_action(now: float, delivery: str) -> Payload:
    return {"action": {"id": delivery, "type": "updateCard", "date": iso(now),
                       "data": {"card": {"id": "5a4d3c2b1a0f9e8d7c6b5a49", "name": "Ship it"},
                                "listAfter": {"name": "Done"}, "listBefore": {"name": "Doing"}},
                       "memberCreator": {"username": "ada"}},
            "model": {"id": "4d5ea62fd76aa1136000000c", "name": "Roadmap"}}


# checkout.com/docs/developer-resources/webhooks: {id, type, created_on, data}
def checkout_payment(now: float, delivery: str) -> Payload:
    return {"id": delivery, "type": "payment_approved", "version": "1.0.33",
            "created_on": iso(now), "data": {"id": short_id("pay_"), "action_id": short_id("act_"),
                                            "amount": 6540, "currency": "USD",
                                            "response_code": "10000", "reference": "ORD-5023"}}


# docs.mollie.com/reference/webhooks-new: a simple next-gen event (the entity is fetched)
def mollie_event(now: float, delivery: str) -> Payload:
    return {"resource": "event", "id": delivery, "type": "payment-link.paid",
            "entityId": short_id("pl_"), "createdAt": iso(now),
            "_links": {"documentation": {"href": "https://docs.mollie.com/reference/webhooks-new",
                                         "type": "text/html"}}}


# developer.gocardless.com/api-reference#appendix-webhooks: a batch of events
def gocardless_events(now: float, delivery: str) -> Payload:
    return {"events": [{"id": delivery, "created_at": iso(now), "resource_type": "payments",
                        "action": "confirmed", "links": {"payment": short_id("PM")},
                        "details": {"origin": "gocardless", "cause": "payment_confirmed",
                                    "description": "Enough time has passed since the payment "
                                                   "was submitted for the banks to return an "
                                                   "error, so this payment is now confirmed."}}]}


# docs.adyen.com/development-resources/webhooks/webhook-types (standard notification)
def adyen_authorisation(now: float, delivery: str) -> Payload:
    return {"live": "false", "notificationItems": [{"NotificationRequestItem": {
        "additionalData": {"authCode": "058705", "cardSummary": "1111"},
        "amount": {"currency": "EUR", "value": 1000}, "eventCode": "AUTHORISATION",
        "eventDate": iso(now), "merchantAccountCode": "YOUR_MERCHANT_ACCOUNT",
        "merchantReference": "YOUR_REFERENCE", "operations": ["CANCEL", "CAPTURE", "REFUND"],
        "paymentMethod": "visa", "pspReference": delivery[-16:].upper(), "reason": "058705:1111",
        "success": "true"}}]}


# developer.paypal.com/braintree/docs/guides/webhooks/parse: bt_payload is base64 XML
def braintree_notification(now: float, delivery: str) -> Payload:
    xml = (f'<notification><kind>subscription_went_past_due</kind><timestamp type="datetime">'
           f"{iso(now)}</timestamp><subject><subscription><id>{delivery}</id>"
           "<status>Past Due</status></subscription></subject></notification>")
    return [("bt_payload", base64.encodebytes(xml.encode()).decode())]


# developers.asana.com/docs/webhooks-guide: {events: [...]}
def asana_events(now: float, delivery: str) -> Payload:
    return {"events": [{"user": {"gid": "1201", "resource_type": "user"}, "created_at": iso(now),
                        "action": "changed", "resource": {"gid": "1337", "resource_type": "task",
                                                          "resource_subtype": "default_task"},
                        "parent": None, "change": {"field": "name", "action": "changed"}}]}


# twilio.com/docs/segment/connections/spec/track
def segment_track(now: float, delivery: str) -> Payload:
    return {"type": "track", "event": "Order Completed", "messageId": delivery,
            "userId": "user_42", "timestamp": iso(now), "sentAt": iso(now),
            "properties": {"order_id": "50314b8e", "revenue": 25.0, "currency": "USD"},
            "context": {"library": {"name": "analytics.js", "version": "2.11.1"}}}


# developer.okta.com/docs/concepts/event-hooks: a batch of System Log events
def okta_event_hook(now: float, delivery: str) -> Payload:
    return {"eventType": "com.okta.event_hook", "eventTypeVersion": "1.0",
            "cloudEventsVersion": "0.1", "contentType": "application/json",
            "source": "https://example.okta.com/api/v1/eventHooks/who8vt36qfNpCGz9H1e6",
            "eventId": delivery, "eventTime": iso(now),
            "data": {"events": [{"uuid": str(uuid.uuid4()), "published": iso(now),
                                 "eventType": "user.lifecycle.create", "version": "0",
                                 "displayMessage": "Create Okta user", "severity": "INFO",
                                 "actor": {"type": "User", "alternateId": "admin@example.com"},
                                 "outcome": {"result": "SUCCESS"}}]}}


# developer.box.com/guides/webhooks/v2 (payload body)
def box_upload(now: float, delivery: str) -> Payload:
    user = {"type": "user", "id": "226067247", "name": "John Q. Developer",
            "login": "johnq@dev.name"}
    return {"type": "webhook_event", "id": str(uuid.uuid4()), "created_at": iso(now),
            "trigger": "FILE.UPLOADED", "webhook": {"id": "53", "type": "webhook"},
            "created_by": user,
            "source": {"id": "73835521473", "type": "file", "name": "Test-Image-3.png",
                       "size": 26458, "parent": {"type": "folder", "id": "8290188973"}},
            "additional_info": []}


# pusher.com/docs/channels/server_api/webhooks: {time_ms, events: [{name, channel}]}
def pusher_occupied(now: float, delivery: str) -> Payload:
    return {"time_ms": int(now * 1000),
            "events": [{"name": "channel_occupied", "channel": "private-orders"}]}


# plivo.com/docs/messaging (message status callbacks): a form
def plivo_status(now: float, delivery: str) -> Payload:
    return [("MessageUUID", str(uuid.uuid4())), ("From", "14155550100"), ("To", "14155550111"),
            ("Status", "delivered"), ("Units", "1"), ("TotalRate", "0.0050")]


# developers.hubspot.com (webhooks): a JSON array of events
def hubspot_creation(now: float, delivery: str) -> Payload:
    return [{"eventId": 1, "subscriptionId": 12345, "portalId": 62515,
             "occurredAt": int(now * 1000), "subscriptionType": "contact.creation",
             "attemptNumber": 0, "objectId": 123, "changeSource": "CRM", "changeFlag": "NEW",
             "appId": 54321}]


# mailchimp.com/developer/transactional/docs/webhooks: a form whose mandrill_events is JSON
def mandrill_send(now: float, delivery: str) -> Payload:
    events = [{"event": "send", "_id": uuid.uuid4().hex, "ts": int(now),
               "msg": {"email": "recipient@example.com", "subject": "Your order",
                       "state": "sent", "sender": "shop@example.com"}}]
    return [("mandrill_events", json.dumps(events, separators=(",", ":")))]


# contentful.com/developers/docs/webhooks (payload): the entity, its sys first
def contentful_publish(now: float, delivery: str) -> Payload:
    space = {"sys": {"type": "Link", "linkType": "Space", "id": "yadj1kx9rmg0"}}
    return {"sys": {"type": "Entry", "id": short_id("5KsDBWseXY"), "space": space,
                    "createdAt": iso(now), "updatedAt": iso(now), "revision": 1,
                    "contentType": {"sys": {"type": "Link", "linkType": "ContentType",
                                            "id": "post"}}},
            "fields": {"title": {"en-US": "Hello, world"}}}


# hygraph.com/docs/api-reference/basics/webhooks: {operation, data}
def hygraph_publish(now: float, delivery: str) -> Payload:
    return {"operation": "publish",
            "data": {"__typename": "Post", "id": short_id("ckq"), "stage": "PUBLISHED",
                     "title": "Hello, world", "updatedAt": iso(now)}}


# docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html: `send` signs this as
# the Message of a Notification
def sns_message(now: float, delivery: str) -> Payload:
    return {"orderId": short_id("ord_"), "status": "shipped", "shippedAt": iso(now)}


EVENTS: dict[str, dict[str, Builder]] = {
    "bondify": {"auth.confirmed": bondify_confirmed, "auth.cancelled": bondify_cancelled},
    "primebot": {name: primebot(name) for name in PRIMEBOT_DATA},
    "bondio": {name: bondio(name) for name in BONDIO_DATA},
    "telebothost": {"syncGameData": telebothost_link("syncGameData")},
    "standard-webhooks": {"invoice.paid": typed("invoice.paid",
                                                 data={"invoice": "in_1", "amount": 4200})},
    "svix": {"invoice.paid": typed("invoice.paid", data={"invoice": "in_1", "amount": 4200})},
    "stripe": {"payment_intent.succeeded": stripe_event},
    "github": {"push": github_push},
    "gitlab": {"push": typed("push", key="object_kind", id_key="checkout_sha",
                             ref="refs/heads/main")},
    "bitbucket": {"repo:push": typed("repo:push", key="event", id_key="id")},
    "slack": {"app_mention": slack_event},
    "shopify": {"orders/create": shopify_order},
    "twilio": {"message.received": twilio_sms},
    "telegram": {"message": telegram_message},
    "discord": {"PING": discord_ping},
    "square": {"payment.updated": square_event},
    "paddle": {"transaction.completed": paddle_event},
    "sendgrid": {"delivered": sendgrid_events},
    "mailgun": {"delivered": mailgun_event},
    "adyen": {"AUTHORISATION": adyen_authorisation},
    "braintree": {"subscription_went_past_due": braintree_notification},
    "zoom": {"meeting.started": zoom_event},
    "linear": {"Issue.create": linear_event},
    "intercom": {"conversation.user.created": typed(
        "notification_event", topic="conversation.user.created",
        data={"item": {"type": "conversation", "id": "1"}})},
    "typeform": {"form_response": typed("form_response", key="event_type", id_key="event_id",
                                        form_response={"form_id": "lT4Z3j", "answers": []})},
    "twitch": {"channel.follow": twitch_event},
    "aftership": {"tracking_update": typed(
        "tracking_update", key="event", id_key="event_id",
        msg={"id": "trk_5f8e0c", "tracking_number": "1Z999AA10123456784", "tag": "InTransit"})},
    "alchemy": {"ADDRESS_ACTIVITY": typed(
        "ADDRESS_ACTIVITY", webhookId="wh_octjglnywaupz6th",
        event={"network": "ETH_MAINNET", "activity": [{"asset": "ETH", "value": 0.01}]})},
    "circleci": {"workflow-completed": typed(
        "workflow-completed", workflow={"name": "build", "status": "success"})},
    "calendly": {"invitee.created": typed(
        "invitee.created", key="event", id_key="created_by",
        payload={"email": "ada@example.com", "name": "Ada Lovelace", "status": "active"})},
    "zendesk": {"zen:event-type:ticket.created": typed(
        "zen:event-type:ticket.created", detail={"id": "35436", "subject": "Help, my printer"})},
    "mux": {"video.asset.ready": typed(
        "video.asset.ready", data={"id": "asset_0001", "status": "ready", "duration": 23.4})},
    "pagerduty": {"incident.triggered": typed(
        "incident.triggered", key="event_type", id_key="id", resource_type="incident")},
    "razorpay": {"payment.captured": typed(
        "payment.captured", key="event", id_key="account_id", entity="event",
        payload={"payment": {"entity": {"id": "pay_DESlfW9H8K9uqM", "amount": 100}}})},
    "coinify": {"trade.completed": typed(
        "trade.completed", key="event", context={"id": 1234, "state": "completed"})},
    "fourthwall": {"ORDER_PLACED": typed(
        "ORDER_PLACED", data={"id": "ord_1", "amounts": {"total": {"value": 25}}})},
    "logto": {"User.Created": typed("User.Created", key="event")},
    "exa": {"webset.item.created": typed("webset.item.created", key="type")},
    "datasaur": {"PROJECT_STATUS_CHANGED": typed("PROJECT_STATUS_CHANGED", key="type")},
    "oracle-commerce": {"order.submit": typed("order.submit", key="type")},
    "xobni": {"email.received": typed("email.received", key="event")},
    "emailit": {"email.delivered": typed("email.delivered", key="type")},
    "lusha": {"contact.enriched": typed("contact.enriched", key="event")},
    "zoho-payments": {"payment.success": typed("payment.success", key="event_type")},
    "zavu": {"message.received": typed("message.received", key="type")},
    "rootly": {"incident.created": typed("incident.created", key="event")},
    "leaf": {"fieldCreated": typed("fieldCreated", key="type")},
    "persona": {"inquiry.completed": typed(
        "inquiry.completed", data={"type": "event", "attributes": {"name": "inquiry.completed"}})},
    "buildkite": {"build.finished": typed(
        "build.finished", key="event", id_key="build_id",
        build={"number": 42, "state": "passed", "branch": "main"})},
    "mongodb": {"alert.open": typed(
        "JOINED_GROUP", key="eventTypeName", status="OPEN", groupId="5df90590f10fab5e33de2305")},
    "modern-treasury": {"payment_order.completed": typed(
        "completed", key="event", data={"id": "po_1", "object": "payment_order",
                                        "status": "completed", "amount": 1000})},
    "signal-sciences": {"flag": typed(
        "flag", created="2026-01-01T00:00:00Z", payload={"ip": "198.51.100.7"},
        link="https://dashboard.signalsciences.net/")},
    "sonatype": {"rm:repository:asset": typed(
        "CREATED", key="action", id_key="nodeId", repositoryName="npm-proxy",
        initiator="admin/127.0.0.1", asset={"format": "npm", "name": "concrete"})},
    "coinbase": {"charge:confirmed": coinbase_charge},
    "castle": {"$incident.confirmed": castle_incident},
    "bolt": {"payment": typed("payment", object="transaction", data={"amount": 1000})},
    "clearbit": {"person": typed("person", status=200, body={"email": "alex@clearbit.com"})},
    "autodesk": {"dm.version.added": autodesk_version_added},
    "docusign": {"envelope-completed": typed(
        "envelope-completed", key="event", id_key="configurationId", apiVersion="v2.1",
        retryCount=0, data={"envelopeId": "93be49ab-0000-0000-0000-000000000000"})},
    "hostedhooks": {"order.fulfilled": typed(
        "order.fulfilled", key="event_type", version="1.0", data={"order": {"id": 1}})},
    "trendmicro-conformity": {"check.failure": typed(
        "check.failure", key="status", id_key="checkId", ruleId="S3-021", riskLevel="HIGH")},
    "orb": {"customer.created": orb_customer_created},
    "sentry": {"issue": sentry_issue},
    "terraform": {"run:completed": terraform_run},
    "launch-darkly": {"flag": launch_darkly_flag},
    "tiktok": {"authorization.removed": tiktok_event},
    "pinwheel": {"account.added": pinwheel_account_added},
    "go1": {"enrollment.complete": typed("enrollment.complete", key="event_type")},
    "frameio": {"file.ready": frameio_file_ready},
    "heroku": {"release": heroku_release},
    "clerk": {"user.created": clerk_user_created},
    "resend": {"email.sent": resend_email_sent},
    "replicate": {"prediction.completed": replicate_prediction},
    "whatsapp": {"whatsapp_business_account.messages": meta_envelope(
        "whatsapp_business_account", WHATSAPP_MESSAGE)},
    "instagram": {"instagram.comments": meta_envelope("instagram", INSTAGRAM_COMMENT)},
    "facebook-messenger": {"page.message": meta_envelope("page", MESSENGER_MESSAGE)},
    "facebook-graph-api": {"user.photos": meta_envelope("user", USER_PHOTOS)},
    # docs.x.com/x-api/webhooks (Account Activity events): keyed by the kind of event
    "twitter": {"tweet_create_events": lambda now, delivery: {
        "for_user_id": "2244994945", "tweet_create_events": [{
            "id_str": delivery, "text": "Hello world", "created_at": iso(now),
            "user": {"id_str": "2244994945", "screen_name": "XDevelopers"}}]}},
    # developer.xero.com/documentation/webhooks/overview (event payload)
    "xero": {"CONTACT.UPDATE": lambda now, delivery: {
        "events": [{"resourceUrl": "https://api.xero.com/api.xro/2.0/Contacts/" + delivery,
                    "resourceId": delivery, "eventDateUtc": iso(now), "eventType": "UPDATE",
                    "eventCategory": "CONTACT", "tenantId": "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f",
                    "tenantType": "ORGANISATION"}],
        "lastEventSequence": 1, "firstEventSequence": 1, "entropy": short_id("")}},
    # docs.connect.worldline-solutions.com/documentation/webhooks/event-structure
    "worldline": {"payment.paid": typed(
        "payment.paid", apiVersion="v1", merchantId="20000",
        payment={"id": "00000200000143570012", "status": "PAID",
                 "paymentOutput": {"amountOfMoney": {"amount": 1000, "currencyCode": "EUR"}}})},
    # dropbox.com/developers/reference/webhooks (notification body)
    "dropbox": {"list_folder": lambda now, delivery: {
        "list_folder": {"accounts": ["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]},
        "delta": {"users": [12345678]}}},
    # developer.atlassian.com/cloud/jira/platform/webhooks (issue events)
    "jira": {"jira:issue_created": lambda now, delivery: {
        "timestamp": int(now * 1000), "webhookEvent": "jira:issue_created",
        "issue_event_type_name": "issue_created",
        "issue": {"id": "10001", "key": "TEST-1", "fields": {"summary": "Login fails"}}}},
    # developer.webex.com/docs/api/guides/webhooks (the envelope around the resource)
    "webex": {"messages.created": lambda now, delivery: {
        "id": delivery, "name": "New message", "targetUrl": "https://example.com/webex",
        "resource": "messages", "event": "created", "ownedBy": "creator", "status": "active",
        "data": {"id": short_id("msg"), "roomId": short_id("room"),
                 "personEmail": "matt@example.com", "created": iso(now)}}},
    # learn.microsoft.com/microsoftteams/platform outgoing webhooks: a Bot Framework activity
    "microsoft-teams": {"message": lambda now, delivery: {
        "type": "message", "id": delivery, "timestamp": iso(now), "channelId": "msteams",
        "serviceUrl": "https://smba.trafficmanager.net/amer/",
        "from": {"id": "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85g", "name": "Tim Jones"},
        "conversation": {"id": "19:253b1f341670408fb6fe51050b6e5ceb@thread.skype",
                         "isGroup": True},
        "text": "<at>Sample Outgoing Webhook</at> Test message"}},
    "woocommerce": {"order.created": woocommerce_order},
    "vercel": {"deployment.created": vercel_deployment},
    "cal-com": {"BOOKING_CREATED": cal_booking},
    "lemon-squeezy": {"order_created": lemon_order},
    "sanity": {"create": sanity_document},
    "trello": {"updateCard": trello_action},
    "checkout-com": {"payment_approved": checkout_payment},
    "mollie": {"payment-link.paid": mollie_event},
    "gocardless": {"payments.confirmed": gocardless_events},
    "asana": {"changed": asana_events},
    "okta": {"user.lifecycle.create": okta_event_hook},
    "segment": {"track": segment_track},
    "box": {"FILE.UPLOADED": box_upload},
    "pusher": {"channel_occupied": pusher_occupied},
    "plivo": {"delivered": plivo_status},
    "hubspot": {"contact.creation": hubspot_creation},
    "mailchimp": {"send": mandrill_send},
    "contentful": {"ContentManagement.Entry.publish": contentful_publish},
    "graphcms": {"Post.publish": hygraph_publish},
    "sns": {"Notification": sns_message},
    "hmac": {"test.event": typed("test.event", key="event")},
}
