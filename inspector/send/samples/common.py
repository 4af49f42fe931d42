"""Sample events of the providers SPEC section 9 names, shaped as each one's documentation
shows them."""

from __future__ import annotations

from .computed import (
    adyen_psp_reference,
    braintree_payload,
    discord_token,
    slack_ts,
    telegram_update_id,
)
from .git_hosts import BITBUCKET, GITHUB, GITLAB
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

# standardwebhooks.com (the payload structure): {type, timestamp, data}; the id is a header
INVOICE_PAID = {"type": "invoice.paid", "timestamp": ISO,
                "data": {"invoice": "in_1", "amount": 4200}}
SQUARE_PAYMENT = Fresh("", "alnum", 29, name="payment")
TWILIO_SID = Fresh("SM", length=32, name="message")

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
    GITHUB,
    GITLAB,
    BITBUCKET,
    # docs.slack.dev/reference/objects/event-object and events/app_mention: event ids Ev…
    Sample("slack", {"app_mention": {
        "token": "XXYYZZ", "team_id": "T061EG9R6", "api_app_id": "A0MDYCDME",
        "type": "event_callback", "event_id": DELIVERY, "event_time": SECONDS,
        "event": {"type": "app_mention", "user": "U061F7AUR", "text": "<@U0LAN0Z89> deploy",
                  "ts": Computed(slack_ts), "channel": "C0LAN2Q65",
                  "event_ts": Computed(slack_ts)},
        "authorizations": [{"enterprise_id": None, "team_id": "T061EG9R6",
                            "user_id": "U0LAN0Z89", "is_bot": True,
                            "is_enterprise_install": False}],
        "is_ext_shared_channel": False}},
           delivery_id=Fresh("Ev", "upper", 10),
           user_agent="Slackbot 1.0 (+https://api.slack.com/robots)"),
    # shopify.dev/docs/api/admin-rest/latest/resources/order (the order as the webhook sends it)
    Sample("shopify", {"orders/create": {
        "id": 820982911946154508, "admin_graphql_api_id": "gid://shopify/Order/820982911946154508",
        "name": "#9999", "order_number": 1234, "email": "jon@example.com", "created_at": ISO,
        "currency": "USD", "financial_status": "paid", "fulfillment_status": None,
        "subtotal_price": "189.00", "total_tax": "0.00", "total_price": "199.00",
        "line_items": [{"id": 866550311766439020,
                        "admin_graphql_api_id": "gid://shopify/LineItem/866550311766439020",
                        "title": "IPod Nano - 8GB", "quantity": 1, "price": "189.00",
                        "sku": "IPOD2008BLACK", "product_id": 632910392}]}},
           delivery_id=UUID, user_agent="Shopify-Captain-Hook"),
    # twilio.com/docs/messaging/guides/webhook-request (an incoming message)
    Sample("twilio", {"message.received": Form((
        ("ToCountry", "US"), ("SmsMessageSid", TWILIO_SID), ("NumMedia", "0"),
        ("SmsSid", TWILIO_SID), ("SmsStatus", "received"), ("Body", "Hello there"),
        ("To", "+15550002222"), ("NumSegments", "1"), ("MessageSid", TWILIO_SID),
        ("AccountSid", "AC" + "0" * 32), ("From", "+15550001111"),
        ("ApiVersion", "2010-04-01")))}),
    # core.telegram.org/bots/api#update
    Sample("telegram", {"message": {"update_id": Computed(telegram_update_id), "message": {
        "message_id": 1, "date": SECONDS, "text": "/start",
        "chat": {"id": 42, "first_name": "Alex", "username": "alexj", "type": "private"},
        "from": {"id": 42, "is_bot": False, "first_name": "Alex", "username": "alexj",
                 "language_code": "en"},
        "entities": [{"offset": 0, "length": 6, "type": "bot_command"}]}}}),
    # discord.com/developers/docs/interactions/receiving-and-responding (a PING): snowflake ids
    Sample("discord", {"PING": {"id": DELIVERY, "type": 1, "application_id": "1234567890",
                                "token": Computed(discord_token), "version": 1}},
           delivery_id=Fresh(kind="digits", length=19)),
    # developer.squareup.com/reference/square/payments-api/webhooks/payment.updated
    Sample("square", {"payment.updated": {
        "merchant_id": "MLEFBHHSJGVHD", "type": "payment.updated", "event_id": DELIVERY,
        "created_at": ISO, "data": {"type": "payment", "id": SQUARE_PAYMENT, "object": {
            "payment": {"id": SQUARE_PAYMENT, "status": "COMPLETED", "created_at": ISO,
                        "amount_money": {"amount": 1000, "currency": "USD"},
                        "location_id": "L88917AVBK2S5", "order_id": Fresh("", "alnum", 29),
                        "source_type": "CARD", "version": 4}}}}},
           delivery_id=UUID),
    # developer.paddle.com/webhooks: ids are a prefix and 26 lower-case letters and digits
    Sample("paddle", {"transaction.completed": {
        "event_id": DELIVERY, "event_type": "transaction.completed", "occurred_at": ISO,
        "notification_id": Fresh("ntf_", "lower", 26),
        "data": {"id": Fresh("txn_", "lower", 26), "status": "completed",
                 "currency_code": "USD"}}},
           delivery_id=Fresh("evt_", "lower", 26)),
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
    # developers.zoom.us/docs/api/meetings/events/ (meeting.started)
    Sample("zoom", {"meeting.started": {
        "event": "meeting.started", "event_ts": MILLISECONDS,
        "payload": {"account_id": "D8cJuqWVQ623CI4Q8yQK0Q", "object": {
            "id": "85746065432", "uuid": "4444AAAiAAAAAiAiAiiAii==",
            "host_id": "z8yCxjabcdEFGHfp8uQ", "topic": "Standup", "type": 2,
            "start_time": ISO, "timezone": "America/Los_Angeles", "duration": 30}}}},
           user_agent="Zoom Marketplace/1.0a"),  # zoom/webhook-sample README (headers logged)
    # linear.app/developers/webhooks (the payload): ids are UUIDs
    Sample("linear", {"Issue.create": {
        "action": "create", "type": "Issue", "createdAt": ISO,
        "actor": {"id": "2e6eea91-1111-0000-9486-acea0603064d", "type": "user",
                  "name": "Ada Lovelace"},
        "data": {"id": UUID, "identifier": "ENG-1", "title": "Fix the login bug",
                 "priority": 2, "createdAt": ISO},
        "url": "https://linear.app/acme/issue/ENG-1/fix-the-login-bug",
        "webhookTimestamp": MILLISECONDS,
        "webhookId": "000042e3-d123-4980-b49f-8e140eef9329",
        "organizationId": "ff1d4c67-5e0f-4e59-8d7e-9b3c5a3e7a31"}}, delivery_id=UUID),
    # developers.intercom.com/docs/references/webhooks/webhook-models: notif_ and a UUID
    Sample("intercom", {"conversation.user.created": {
        "type": "notification_event", "app_id": "a86dr8yl", "id": DELIVERY,
        "topic": "conversation.user.created",
        "data": {"type": "notification_event_data",
                 "item": {"type": "conversation", "id": "147"}},
        "delivery_status": "pending", "delivery_attempts": 1, "delivered_at": 0,
        "first_sent_at": SECONDS, "created_at": SECONDS, "self": None}},
           delivery_id=Fresh("notif_", "uuid")),
    # typeform.com/developers/webhooks/example-payload/
    Sample("typeform", {"form_response": {
        "event_id": DELIVERY, "event_type": "form_response", "form_response": {
            "form_id": "lT4Z3j", "token": Fresh(length=32), "landed_at": Now("iso8601", -90),
            "submitted_at": ISO, "hidden": {}, "definition": {
                "id": "lT4Z3j", "title": "Webhooks example",
                "fields": [{"id": "DlXFaesGBpoF", "ref": "readable_ref_long_text",
                            "type": "long_text", "title": "What did you like best?"}]},
            "answers": [{"type": "text", "text": "The onboarding",
                         "field": {"id": "DlXFaesGBpoF", "type": "long_text",
                                   "ref": "readable_ref_long_text"}}]}}},
           delivery_id=Fresh("01", "upper", 24)),
    # dev.twitch.tv/docs/eventsub/eventsub-subscription-types/#channelfollow
    Sample("twitch", {"channel.follow": {
        "subscription": {"id": UUID, "type": "channel.follow", "version": "2",
                         "status": "enabled", "cost": 0,
                         "condition": {"broadcaster_user_id": "1337",
                                       "moderator_user_id": "1337"},
                         "transport": {"method": "webhook",
                                       "callback": "https://example.com/webhooks/callback"},
                         "created_at": Now("iso8601", -86400)},
        "event": {"user_id": "1234", "user_login": "cool_user", "user_name": "Cool_User",
                  "broadcaster_user_id": "1337", "broadcaster_user_login": "cooler_user",
                  "broadcaster_user_name": "Cooler_User", "followed_at": ISO}}},
           delivery_id=UUID),
)
