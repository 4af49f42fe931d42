"""Realistic sample events per provider, shaped as each provider's documentation shows them.

Each builder takes the moment of sending and a delivery id and returns the JSON payload (Twilio's
and Slack's are forms, returned as lists of pairs).
"""

from __future__ import annotations

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
