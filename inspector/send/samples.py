"""Realistic sample events per provider, shaped as each provider's documentation shows them.

Each builder takes the moment of sending and a delivery id and returns the JSON payload (Twilio's
and Slack's are forms, returned as lists of pairs).
"""

from __future__ import annotations

import base64
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


def shopify_order(now: float, delivery: str) -> Payload:
    return {"id": 820982911946154508, "email": "jon@example.com", "total_price": "199.00",
            "currency": "USD", "created_at": iso(now)}


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
    "hmac": {"test.event": typed("test.event", key="event")},
}
