"""Sample events of the providers SPEC section 9 names, shaped as each one's documentation
shows them."""

from __future__ import annotations

from .computed import adyen_psp_reference, braintree_payload, slack_ts, telegram_update_id
from .template import (
    DELIVERY,
    ISO,
    MILLISECONDS,
    SECONDS,
    UUID,
    Computed,
    Form,
    Fresh,
    Now,
    Sample,
)

INVOICE_PAID = {"id": DELIVERY, "type": "invoice.paid", "data": {"invoice": "in_1", "amount": 4200}}

COMMON = (
    Sample("standard-webhooks", {"invoice.paid": INVOICE_PAID}),
    Sample("svix", {"invoice.paid": INVOICE_PAID}),
    # docs.stripe.com/api/events/object: ids are a prefix and 24 letters and digits
    Sample("stripe", {"payment_intent.succeeded": {
        "id": DELIVERY, "object": "event", "api_version": "2024-06-20", "created": SECONDS,
        "type": "payment_intent.succeeded", "livemode": False, "pending_webhooks": 1,
        "request": {"id": Fresh("req_", "alnum", 14), "idempotency_key": UUID},
        "data": {"object": {"id": Fresh("pi_", "alnum", 24), "object": "payment_intent",
                            "amount": 2000, "currency": "usd", "status": "succeeded"}}}},
           delivery_id=Fresh("evt_", "alnum", 24),
           user_agent="Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
    # docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers: X-GitHub-Delivery
    # a GUID, User-Agent GitHub-Hookshot/ and a short hex (their example: 044aadd)
    Sample("github", {"push": {
        "ref": "refs/heads/main", "before": "0" * 40, "after": "a" * 40,
        "repository": {"full_name": "octo/app"}, "pusher": {"name": "octocat"}}},
           delivery_id=UUID, user_agent="GitHub-Hookshot/044aadd"),
    # gitlab-org/gitlab app/services/web_hook_service.rb build_headers: User-Agent
    # GitLab/<version>, X-Gitlab-Event-UUID SecureRandom.uuid
    Sample("gitlab", {"push": {"checkout_sha": DELIVERY, "object_kind": "push",
                               "ref": "refs/heads/main"}},
           delivery_id=UUID, user_agent="GitLab/17.6.0"),
    Sample("bitbucket", {"repo:push": {"id": DELIVERY, "event": "repo:push"}},
           delivery_id=UUID),
    Sample("slack", {"app_mention": {
        "token": "verification-token", "team_id": "T0001", "type": "event_callback",
        "event_id": DELIVERY, "event_time": SECONDS,
        "event": {"type": "app_mention", "user": "U0001", "text": "<@U0002> deploy",
                  "channel": "C0001", "ts": Computed(slack_ts)}}},
           user_agent="Slackbot 1.0 (+https://api.slack.com/robots)"),
    Sample("shopify", {"orders/create": {
        "id": 820982911946154508, "email": "jon@example.com", "total_price": "199.00",
        "currency": "USD", "created_at": ISO}},
           delivery_id=UUID, user_agent="Shopify-Captain-Hook"),
    Sample("twilio", {"message.received": Form((
        ("MessageSid", Fresh("SM")), ("AccountSid", "AC" + "0" * 32),
        ("From", "+15550001111"), ("To", "+15550002222"), ("Body", "Hello there"),
        ("MessageStatus", "received")))}),
    Sample("telegram", {"message": {"update_id": Computed(telegram_update_id), "message": {
        "message_id": 1, "date": SECONDS, "text": "/start",
        "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "first_name": "Alex"}}}}),
    Sample("discord", {"PING": {"id": DELIVERY, "type": 1, "application_id": "1234567890",
                                "version": 1}}),
    Sample("square", {"payment.updated": {
        "merchant_id": "MLEFBHHSJGVHD", "type": "payment.updated", "event_id": DELIVERY,
        "created_at": ISO, "data": {"type": "payment", "id": Fresh("KkAk"),
                                    "object": {"payment": {"status": "COMPLETED"}}}}}),
    Sample("paddle", {"transaction.completed": {
        "event_id": DELIVERY, "event_type": "transaction.completed", "occurred_at": ISO,
        "notification_id": Fresh("ntf_"),
        "data": {"id": Fresh("txn_"), "status": "completed", "currency_code": "USD"}}}),
    Sample("sendgrid", {"delivered": [
        {"email": "user@example.com", "timestamp": SECONDS, "event": "delivered",
         "sg_event_id": DELIVERY, "sg_message_id": Fresh("msg.")}]}),
    Sample("mailgun", {"delivered": {"event-data": {
        "event": "delivered", "id": Fresh(), "timestamp": Now("float"),
        "recipient": "user@example.com"}}}),
    # docs.adyen.com/development-resources/webhooks/webhook-types (standard notification)
    Sample("adyen", {"AUTHORISATION": {"live": "false", "notificationItems": [
        {"NotificationRequestItem": {
            "additionalData": {"authCode": "058705", "cardSummary": "1111"},
            "amount": {"currency": "EUR", "value": 1000}, "eventCode": "AUTHORISATION",
            "eventDate": ISO, "merchantAccountCode": "YOUR_MERCHANT_ACCOUNT",
            "merchantReference": "YOUR_REFERENCE", "operations": ["CANCEL", "CAPTURE", "REFUND"],
            "paymentMethod": "visa", "pspReference": Computed(adyen_psp_reference),
            "reason": "058705:1111", "success": "true"}}]}}),
    Sample("braintree", {"subscription_went_past_due": Form((
        ("bt_payload", Computed(braintree_payload)),))}),
    Sample("zoom", {"meeting.started": {
        "event": "meeting.started", "event_ts": MILLISECONDS,
        "payload": {"account_id": "AAAA", "object": {"id": "85746065432", "topic": "Standup"}}}},
           user_agent="Zoom Marketplace/1.0a"),  # zoom/webhook-sample README (headers logged)
    Sample("linear", {"Issue.create": {
        "action": "create", "type": "Issue", "webhookTimestamp": MILLISECONDS,
        "data": {"id": DELIVERY, "title": "Fix the login bug", "priority": 2},
        "url": "https://linear.app/team/issue/ENG-1"}}),
    Sample("intercom", {"conversation.user.created": {
        "id": DELIVERY, "type": "notification_event", "topic": "conversation.user.created",
        "data": {"item": {"type": "conversation", "id": "1"}}}}),
    Sample("typeform", {"form_response": {
        "event_id": DELIVERY, "event_type": "form_response",
        "form_response": {"form_id": "lT4Z3j", "answers": []}}}),
    Sample("twitch", {"channel.follow": {
        "subscription": {"id": Fresh(), "type": "channel.follow", "version": "2",
                         "status": "enabled"},
        "event": {"user_id": "1234", "user_login": "cool_user", "broadcaster_user_id": "1337",
                  "followed_at": ISO}}}),
)
