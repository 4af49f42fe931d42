"""Sample events of Meta's products, the challenge-answering providers, the later rows of
`signatures/table.py`, the providers with a scheme module of their own beyond SPEC's list,
and the generic `hmac`, shaped as each one's documentation shows them."""

from __future__ import annotations

from .computed import mandrill_events, woocommerce_date_gmt, xero_resource_url
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

# developers.facebook.com/docs/graph-api/webhooks (the envelope {object, entry: [{time, …}]}),
# whatsapp cloud-api webhooks, messenger-platform webhooks, instagram-platform webhooks
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
# developer.webex.com/docs/api/guides/webhooks: ids are base64 of a resource's URI
WEBEX_PERSON = ("Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mNWIzNjE4Ny1jOGRkLTQ3MjctOGIyZi1mOWM0NDdm"
                "MjkwNDY")
WEBEX_ORG = "OTZhYmMyYWEtM2RjYy0xMWU1LWExNTItZmUzNDgxOWNkYzlh"
WEBEX_APP = ("Y2lzY29zcGFyazovL3VzL0FQUExJQ0FUSU9OL0MyNzljYjMwYzAyOTE4MGJiNGJkYWViYjA2MWI3"
             "OTY1Y2RhMzliNjAyOTdjODUwM2YyNjZhYmY2NmM5OTllYzFm")
USER_PHOTOS = {"id": "10210299214172187", "uid": "10210299214172187", "changes": [
    {"field": "photos", "value": {"verb": "update", "object_id": "10211885744794461"}}]}

OTHERS = (
    Sample("whatsapp", {"whatsapp_business_account.messages": {
        "object": "whatsapp_business_account",
        "entry": [{"time": SECONDS, **WHATSAPP_MESSAGE}]}}),
    Sample("instagram", {"instagram.comments": {
        "object": "instagram", "entry": [{"time": SECONDS, **INSTAGRAM_COMMENT}]}}),
    Sample("facebook-messenger", {"page.message": {
        "object": "page", "entry": [{"time": SECONDS, **MESSENGER_MESSAGE}]}}),
    Sample("facebook-graph-api", {"user.photos": {
        "object": "user", "entry": [{"time": SECONDS, **USER_PHOTOS}]}}),
    # docs.x.com/x-api/webhooks (Account Activity events): keyed by the kind of event
    Sample("twitter", {"tweet_create_events": {
        "for_user_id": "2244994945", "tweet_create_events": [{
            "id_str": DELIVERY, "text": "Hello world", "created_at": ISO,
            "user": {"id_str": "2244994945", "screen_name": "XDevelopers"}}]}}),
    # developer.xero.com/documentation/webhooks/overview (event payload)
    Sample("xero", {"CONTACT.UPDATE": {
        "events": [{"resourceUrl": Computed(xero_resource_url), "resourceId": DELIVERY,
                    "eventDateUtc": ISO, "eventType": "UPDATE", "eventCategory": "CONTACT",
                    "tenantId": "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f",
                    "tenantType": "ORGANISATION"}],
        "lastEventSequence": 1, "firstEventSequence": 1, "entropy": Fresh()}}),
    # docs.connect.worldline-solutions.com/documentation/webhooks/event-structure
    Sample("worldline", {"payment.paid": {
        "apiVersion": "v1", "id": DELIVERY, "created": ISO, "merchantId": "20000",
        "type": "payment.paid",
        "payment": {"id": "00000200000143570012", "status": "PAID",
                    "paymentOutput": {"amountOfMoney": {"amount": 1000,
                                                        "currencyCode": "EUR"}}}}}),
    # dropbox.com/developers/reference/webhooks (notification body)
    Sample("dropbox", {"list_folder": {
        "list_folder": {"accounts": ["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]},
        "delta": {"users": [12345678]}}}),
    # developer.atlassian.com/cloud/jira/platform/webhooks (issue events)
    Sample("jira", {"jira:issue_created": {
        "timestamp": MILLISECONDS, "webhookEvent": "jira:issue_created",
        "issue_event_type_name": "issue_created",
        "user": {"accountId": "5b10a2844c20165700ede21g", "displayName": "Mia Krystof",
                 "self": "https://your-domain.atlassian.net/rest/api/2/user?accountId="
                         "5b10a2844c20165700ede21g"},
        "issue": {"id": "10001", "key": "TEST-1",
                  "self": "https://your-domain.atlassian.net/rest/api/2/issue/10001",
                  "fields": {"summary": "Login fails", "created": ISO}}}}),
    # developer.webex.com/docs/api/guides/webhooks (the envelope around the resource)
    Sample("webex", {"messages.created": {
        "id": DELIVERY, "name": "New message", "targetUrl": "https://example.com/webex",
        "resource": "messages", "event": "created", "orgId": WEBEX_ORG,
        "createdBy": WEBEX_PERSON, "appId": WEBEX_APP, "ownedBy": "creator",
        "status": "active", "created": "2026-01-05T10:12:04.000Z", "actorId": WEBEX_PERSON,
        "data": {"id": "Y2lzY29zcGFyazovL3VzL01FU1NBR0UvOTJkYjNiZTAtNDNiZC0xMWU2LThhZTkt"
                       "ZGQ1YjNkZmM1NjVk",
                 "roomId": "Y2lzY29zcGFyazovL3VzL1JPT00vYmJjZWIxYWQtNDNmMS0zYjU4LTkxNDct",
                 "roomType": "group", "personId": WEBEX_PERSON,
                 "personEmail": "matt@example.com", "created": ISO}}}),
    # learn.microsoft.com/microsoftteams/platform outgoing webhooks: a Bot Framework activity
    Sample("microsoft-teams", {"message": {
        "type": "message", "id": DELIVERY, "timestamp": ISO, "channelId": "msteams",
        "serviceUrl": "https://smba.trafficmanager.net/amer/",
        "from": {"id": "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85g", "name": "Tim Jones"},
        "conversation": {"id": "19:253b1f341670408fb6fe51050b6e5ceb@thread.skype",
                         "isGroup": True},
        "text": "<at>Sample Outgoing Webhook</at> Test message"}}),
    # woocommerce.github.io/woocommerce-rest-api-docs (order properties); the topic is a header
    Sample("woocommerce", {"order.created": {
        "id": 727, "status": "processing", "currency": "USD", "total": "29.35",
        "date_created_gmt": Computed(woocommerce_date_gmt), "payment_method": "bacs",
        "billing": {"first_name": "John", "last_name": "Doe", "email": "john.doe@example.com"},
        "line_items": [{"id": 315, "name": "Woo Single #1", "quantity": 2,
                        "total": "6.00"}]}}),
    # vercel.com/docs/webhooks: {id, type, createdAt, payload}
    Sample("vercel", {"deployment.created": {
        "id": DELIVERY, "type": "deployment.created", "createdAt": MILLISECONDS,
        "payload": {"deployment": {"id": Fresh("dpl_"), "name": "my-app",
                                   "url": "my-app-git-main.vercel.app"},
                    "project": {"id": Fresh("prj_")}, "target": "production"}}}),
    # cal.com: {triggerEvent, createdAt, payload} (sendPayload.ts)
    Sample("cal-com", {"BOOKING_CREATED": {
        "triggerEvent": "BOOKING_CREATED", "createdAt": ISO,
        "payload": {"title": "30 min between Ada and Alan", "type": "30min",
                    "startTime": Now("iso8601", 86400), "endTime": Now("iso8601", 88200),
                    "uid": DELIVERY, "organizer": {"name": "Ada", "email": "ada@example.com",
                                                   "timeZone": "Europe/London"},
                    "attendees": [{"name": "Alan", "email": "alan@example.com",
                                   "timeZone": "Europe/London"}]}}}),
    # lemonsqueezy.com/docs/api/webhooks: a JSON:API resource with meta.event_name
    Sample("lemon-squeezy", {"order_created": {
        "meta": {"event_name": "order_created"},
        "data": {"type": "orders", "id": "1", "attributes": {
            "store_id": 1, "identifier": DELIVERY, "order_number": 1,
            "user_name": "Darlene Daugherty", "user_email": "gernser@example.com",
            "currency": "USD", "subtotal": 999, "tax": 200, "total": 1199,
            "status": "paid", "created_at": ISO}}}}),
    # sanity.io webhooks: the body is the document (or its projection)
    Sample("sanity", {"create": {
        "_id": DELIVERY, "_type": "post", "_rev": Fresh(), "title": "Hello, world",
        "slug": {"_type": "slug", "current": "hello-world"}, "_updatedAt": ISO}}),
    # developer.atlassian.com/cloud/trello: {action, model}
    Sample("trello", {"updateCard": {
        "action": {"id": DELIVERY, "type": "updateCard", "date": ISO,
                   "data": {"card": {"id": "5a4d3c2b1a0f9e8d7c6b5a49", "name": "Ship it"},
                            "listAfter": {"name": "Done"}, "listBefore": {"name": "Doing"}},
                   "idMemberCreator": "5a4d3c2b1a0f9e8d7c6b5a48",
                   "memberCreator": {"id": "5a4d3c2b1a0f9e8d7c6b5a48", "username": "ada",
                                     "fullName": "Ada Lovelace"}},
        "model": {"id": "4d5ea62fd76aa1136000000c", "name": "Roadmap"}}}),
    # checkout.com/docs/developer-resources/webhooks: {id, type, created_on, data}
    Sample("checkout-com", {"payment_approved": {
        "id": DELIVERY, "type": "payment_approved", "version": "1.0.33", "created_on": ISO,
        "data": {"id": Fresh("pay_", "lower", 26), "action_id": Fresh("act_", "lower", 26),
                 "amount": 6540, "currency": "USD", "response_code": "10000",
                 "reference": "ORD-5023"}}}, delivery_id=Fresh("evt_", "lower", 26)),
    # docs.mollie.com/reference/webhooks-new: a simple next-gen event (the entity is fetched)
    Sample("mollie", {"payment-link.paid": {
        "resource": "event", "id": DELIVERY, "type": "payment-link.paid",
        "entityId": Fresh("pl_", "alnum", 21), "createdAt": ISO,
        "_links": {"documentation": {"href": "https://docs.mollie.com/reference/webhooks-new",
                                     "type": "text/html"}}}},
           delivery_id=Fresh("event_", "alnum", 21)),
    # developer.gocardless.com/api-reference#appendix-webhooks: a batch of events
    Sample("gocardless", {"payments.confirmed": {"events": [{
        "id": DELIVERY, "created_at": ISO, "resource_type": "payments", "action": "confirmed",
        "links": {"payment": Fresh("PM", "upper", 12)},
        "details": {"origin": "gocardless", "cause": "payment_confirmed",
                    "description": "Enough time has passed since the payment was submitted "
                                   "for the banks to return an error, so this payment is now "
                                   "confirmed."}, "metadata": {}}]}},
           delivery_id=Fresh("EV", "upper", 12)),
    # developers.asana.com/docs/webhooks-guide: {events: [...]}
    Sample("asana", {"changed": {"events": [{
        "user": {"gid": "1201", "resource_type": "user"}, "created_at": ISO,
        "action": "changed", "resource": {"gid": "1337", "resource_type": "task",
                                          "resource_subtype": "default_task"},
        "parent": None, "change": {"field": "name", "action": "changed"}}]}}),
    # developer.okta.com/docs/concepts/event-hooks: a batch of System Log events
    Sample("okta", {"user.lifecycle.create": {
        "eventType": "com.okta.event_hook", "eventTypeVersion": "1.0",
        "cloudEventsVersion": "0.1", "contentType": "application/json",
        "source": "https://example.okta.com/api/v1/eventHooks/who8vt36qfNpCGz9H1e6",
        "eventId": DELIVERY, "eventTime": ISO,
        "data": {"events": [{"uuid": UUID, "published": ISO,
                             "eventType": "user.lifecycle.create", "version": "0",
                             "displayMessage": "Create Okta user", "severity": "INFO",
                             "actor": {"type": "User", "alternateId": "admin@example.com"},
                             "outcome": {"result": "SUCCESS"}}]}}}),
    # twilio.com/docs/segment/connections/spec/track
    Sample("segment", {"track": {
        "type": "track", "event": "Order Completed", "messageId": DELIVERY,
        "userId": "user_42", "timestamp": ISO, "sentAt": ISO,
        "properties": {"order_id": "50314b8e", "revenue": 25.0, "currency": "USD"},
        "context": {"library": {"name": "analytics.js", "version": "2.11.1"}}}}),
    # developer.box.com/guides/webhooks/v2 (payload body)
    Sample("box", {"FILE.UPLOADED": {
        "type": "webhook_event", "id": UUID, "created_at": ISO, "trigger": "FILE.UPLOADED",
        "webhook": {"id": "53", "type": "webhook"},
        "created_by": {"type": "user", "id": "226067247", "name": "John Q. Developer",
                       "login": "johnq@dev.name"},
        "source": {"id": "73835521473", "type": "file", "name": "Test-Image-3.png",
                   "size": 26458, "parent": {"type": "folder", "id": "8290188973"}},
        "additional_info": []}}),
    # pusher.com/docs/channels/server_api/webhooks: {time_ms, events: [{name, channel}]}
    Sample("pusher", {"channel_occupied": {
        "time_ms": MILLISECONDS,
        "events": [{"name": "channel_occupied", "channel": "private-orders"}]}}),
    # plivo.com/docs/messaging (message status callbacks): a form
    Sample("plivo", {"delivered": Form((
        ("MessageUUID", UUID), ("From", "14155550100"), ("To", "14155550111"),
        ("Status", "delivered"), ("Units", "1"), ("TotalRate", "0.0050")))}),
    # developers.hubspot.com (webhooks): a JSON array of events
    Sample("hubspot", {"contact.creation": [{
        "eventId": 1, "subscriptionId": 12345, "portalId": 62515, "occurredAt": MILLISECONDS,
        "subscriptionType": "contact.creation", "attemptNumber": 0, "objectId": 123,
        "changeSource": "CRM", "changeFlag": "NEW", "appId": 54321}]}),
    # mailchimp.com/developer/transactional/docs/webhooks: a form whose mandrill_events is JSON
    Sample("mailchimp", {"send": Form((("mandrill_events", Computed(mandrill_events)),))}),
    # contentful.com/developers/docs/webhooks (payload): the entity, its sys first
    Sample("contentful", {"ContentManagement.Entry.publish": {
        "sys": {"type": "Entry", "id": Fresh("5KsDBWseXY"),
                "space": {"sys": {"type": "Link", "linkType": "Space", "id": "yadj1kx9rmg0"}},
                "environment": {"sys": {"type": "Link", "linkType": "Environment",
                                        "id": "master"}},
                "createdAt": ISO, "updatedAt": ISO, "revision": 1,
                "contentType": {"sys": {"type": "Link", "linkType": "ContentType",
                                        "id": "post"}}},
        "fields": {"title": {"en-US": "Hello, world"}}}}),
    # hygraph.com/docs/api-reference/basics/webhooks: {operation, data}
    Sample("graphcms", {"Post.publish": {
        "operation": "publish",
        "data": {"__typename": "Post", "id": Fresh("ckq"), "stage": "PUBLISHED",
                 "title": "Hello, world", "updatedAt": ISO}}}),
    # docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html: `send` signs this
    # as the Message of a Notification
    Sample("sns", {"Notification": {"orderId": Fresh("ord_"), "status": "shipped",
                                    "shippedAt": ISO}}),
    Sample("hmac", {"test.event": {"id": DELIVERY, "event": "test.event"}}),
)
