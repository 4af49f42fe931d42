"""Sample events of the providers that are rows of `signatures/table.py` (ngrok's
verify-webhook list and beyond), shaped as each one's documentation shows them."""

from __future__ import annotations

from .template import DELIVERY, ISO, MILLISECONDS, SECONDS, UUID, Fresh, Now, Sample, Text

CIRCLECI_WORKFLOW = Fresh(kind="uuid", name="workflow")
DOCUSIGN_ENVELOPE = Fresh(kind="uuid", name="envelope")

ROWS = (
    # aftership.com/docs/tracking/webhook/webhook-overview
    Sample("aftership", {"tracking_update": {
        "event": "tracking_update", "event_id": DELIVERY, "is_tracking_first_tag": False,
        "msg": {"id": "5b7658cec7c33c0e007de3c5", "tracking_number": "1Z999AA10123456784",
                "slug": "ups", "tag": "InTransit", "subtag": "InTransit_001"},
        "ts": SECONDS}}, delivery_id=UUID),
    # docs.alchemy.com/reference/address-activity-webhook: event ids whevt_…
    Sample("alchemy", {"ADDRESS_ACTIVITY": {
        "webhookId": "wh_octjglnywaupz6th", "id": DELIVERY, "createdAt": ISO,
        "type": "ADDRESS_ACTIVITY", "event": {"network": "ETH_MAINNET", "activity": [{
            "fromAddress": "0x503828976d22510aad0201ac7ec88293211d23da",
            "toAddress": "0xbe3f4b43db5eb49d1f48f53443b9abce45da3b79",
            "blockNum": "0xdf34a3", "hash": Fresh("0x", length=64), "value": 0.01,
            "asset": "ETH", "category": "external"}]}}},
           delivery_id=Fresh("whevt_", "lower", 16)),
    # circleci.com/docs/webhooks-reference/#workflow-completed: ids are UUIDs
    Sample("circleci", {"workflow-completed": {
        "id": DELIVERY, "type": "workflow-completed", "happened_at": ISO,
        "webhook": {"id": "cf8c4fdd-0587-4da1-b4ca-4846e9640af9", "name": "Sample Webhook"},
        "workflow": {"id": CIRCLECI_WORKFLOW, "name": "build", "status": "success",
                     "created_at": Now("iso8601", -120), "stopped_at": ISO,
                     "url": Text("https://app.circleci.com/pipelines/github/acme/app/130/"
                                 "workflows/{0}", CIRCLECI_WORKFLOW)},
        "pipeline": {"id": UUID, "number": 130, "created_at": Now("iso8601", -125),
                     "trigger": {"type": "webhook"}},
        "project": {"id": "84996744-a854-4f5e-aea3-04e2851dc1d2", "name": "app",
                    "slug": "github/acme/app"},
        "organization": {"id": "f22b6566-597d-46d5-ba74-99ef5bb3d85c", "name": "acme"}}},
           delivery_id=UUID),
    # developer.calendly.com/api-docs (Webhook Payload: invitee.created)
    Sample("calendly", {"invitee.created": {
        "created_at": ISO, "created_by": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
        "event": "invitee.created", "payload": {
            "uri": Text("https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/"
                        "{0}", Fresh("", "upper", 16)),
            "email": "ada@example.com", "name": "Ada Lovelace", "status": "active",
            "event": "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2",
            "timezone": "Europe/London", "created_at": ISO, "updated_at": ISO,
            "questions_and_answers": []}}}),
    # developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/
    Sample("zendesk", {"zen:event-type:ticket.created": {
        "account_id": 12514403, "id": DELIVERY, "subject": "zen:ticket:35436", "time": ISO,
        "type": "zen:event-type:ticket.created", "zendesk_event_version": "2022-11-06",
        "event": {}, "detail": {"id": "35436", "subject": "Help, my printer is on fire!",
                                "status": "NEW", "priority": "HIGH", "created_at": ISO,
                                "updated_at": ISO, "requester_id": "366028296574"}}},
           delivery_id=UUID),
    # mux.com/docs/core/listen-for-webhooks
    Sample("mux", {"video.asset.ready": {
        "type": "video.asset.ready", "id": DELIVERY, "created_at": ISO,
        "object": {"type": "asset", "id": "0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002"},
        "environment": {"name": "Production", "id": "j0863n"}, "attempts": [],
        "data": {"id": "0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002", "status": "ready",
                 "duration": 23.4, "playback_ids": [
                     {"policy": "public", "id": "uNbxnGLKJ00yfbijDO8COxTOyVKT01xpxW"}]}}},
           delivery_id=UUID),
    # developer.pagerduty.com/docs/webhooks-overview (V3: the event in an envelope)
    Sample("pagerduty", {"incident.triggered": {"event": {
        "id": DELIVERY, "event_type": "incident.triggered", "resource_type": "incident",
        "occurred_at": ISO, "agent": None, "client": None,
        "data": {"id": "Q2LMVRWVSVEN1L", "type": "incident", "number": 2, "status": "triggered",
                 "title": "The server is on fire.", "urgency": "high",
                 "html_url": "https://acme.pagerduty.com/incidents/Q2LMVRWVSVEN1L",
                 "service": {"id": "PF9KMXH", "type": "service_reference",
                             "summary": "API Service"}}}}}, delivery_id=UUID),
    # razorpay.com/docs/webhooks/payloads/payments/ (the account is the merchant's)
    Sample("razorpay", {"payment.captured": {
        "entity": "event", "account_id": "acc_BFQ7uQEaa7j2z7", "event": "payment.captured",
        "contains": ["payment"], "payload": {"payment": {"entity": {
            "id": Fresh("pay_", "alnum", 14), "entity": "payment", "amount": 100,
            "currency": "INR", "status": "captured", "method": "upi", "captured": True,
            "email": "gaurav.kumar@example.com", "contact": "+919876543210",
            "created_at": SECONDS}}},
        "created_at": SECONDS}}),
    # coinify.readme.io/docs/webhook-structure: the event id a UUID v4
    Sample("coinify", {"trade.completed": {
        "id": DELIVERY, "time": ISO, "event": "trade.completed",
        "context": {"id": "8f3a9e1c-2b7d-4c5e-9a61-3d0b7f2e4c18",
                    "traderId": "5c2b4f6e-8a1d-4e3f-b7c9-0d2e6a8f1b35", "state": "completed",
                    "residenceCountry": "DK", "eurAmount": 250.0}}}, delivery_id=UUID),
    # docs.fourthwall.com/webhooks/webhook-model
    Sample("fourthwall", {"ORDER_PLACED": {
        "testMode": False, "id": DELIVERY, "webhookId": "wcon_P-VkRfmJTBaC6_Tst22cew",
        "shopId": "sh_7ad0c438-beda-4779-a885-0dc325a755c1", "type": "ORDER_PLACED",
        "apiVersion": "V1", "createdAt": ISO, "data": {
            "id": UUID, "shopId": "sh_7ad0c438-beda-4779-a885-0dc325a755c1",
            "friendlyId": Fresh("", "upper", 8), "status": "CONFIRMED",
            "email": "supporter@fourthwall.com",
            "amounts": {"subtotal": {"value": 25, "currency": "USD"},
                        "total": {"value": 25, "currency": "USD"}},
            "createdAt": ISO}}}, delivery_id=Fresh("weve_", "alnum", 22)),
    # docs.logto.io/developers/webhooks/webhooks-request (no id: the hook names itself)
    Sample("logto", {"User.Created": {
        "hookId": "slMGJXu2FJ0t0o7wbdSOd", "event": "User.Created", "createdAt": ISO,
        "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)",
        "ip": "203.0.113.7", "path": "/users", "method": "POST", "status": 200,
        "params": {}, "matchedRoute": "/users",
        "data": {"id": Fresh("", "lower", 12), "username": "ada",
                 "primaryEmail": "ada@example.com", "createdAt": MILLISECONDS}}}),
    Sample("exa", {"webset.item.created": {"id": DELIVERY, "type": "webset.item.created"}}),
    Sample("datasaur", {"PROJECT_STATUS_CHANGED": {"id": DELIVERY,
                                                   "type": "PROJECT_STATUS_CHANGED"}}),
    Sample("oracle-commerce", {"order.submit": {"id": DELIVERY, "type": "order.submit"}}),
    Sample("xobni", {"email.received": {"id": DELIVERY, "event": "email.received"}}),
    Sample("emailit", {"email.delivered": {"id": DELIVERY, "type": "email.delivered"}}),
    Sample("lusha", {"contact.enriched": {"id": DELIVERY, "event": "contact.enriched"}}),
    Sample("zoho-payments", {"payment.success": {"id": DELIVERY,
                                                 "event_type": "payment.success"}}),
    Sample("zavu", {"message.received": {"id": DELIVERY, "type": "message.received"}}),
    # docs.rootly.com/configuration/event-payloads: {event: {id, type, issued_at}, data}
    Sample("rootly", {"incident.created": {
        "event": {"id": DELIVERY, "type": "incident.created", "issued_at": ISO},
        "data": {"id": UUID, "title": "Checkout is slow", "slug": "checkout-is-slow",
                 "status": "started", "severity": None, "created_at": ISO}}},
           delivery_id=UUID),
    Sample("leaf", {"fieldCreated": {"id": DELIVERY, "type": "fieldCreated"}}),
    # docs.withpersona.com/docs/webhooks: the event, its payload the inquiry
    Sample("persona", {"inquiry.completed": {"data": {
        "type": "event", "id": DELIVERY, "attributes": {
            "name": "inquiry.completed", "created-at": ISO, "redacted-at": None,
            "payload": {"data": {"type": "inquiry", "id": Fresh("inq_", "alnum", 24),
                                 "attributes": {"status": "completed",
                                                "reference-id": "user_42",
                                                "completed-at": ISO}}}}}}},
           delivery_id=Fresh("evt_", "alnum", 24)),
    # buildkite.com/docs/apis/webhooks/pipelines/build-events
    Sample("buildkite", {"build.finished": {
        "event": "build.finished", "build": {
            "id": UUID, "number": 42, "state": "passed", "branch": "main",
            "commit": Fresh(length=40), "message": "Fix the login redirect",
            "web_url": "https://buildkite.com/acme/app/builds/42",
            "created_at": Now("iso8601", -300), "finished_at": ISO},
        "pipeline": {"id": "0185e4a3-3b2c-4d3e-9f5a-1a2b3c4d5e6f", "slug": "app",
                     "name": "App"},
        "sender": {"id": "8a7693f8-dbae-4783-9137-84090fce9045", "name": "Keith Pitt"}}}),
    # mongodb.com/docs/atlas/tutorial/webhook-integration/: the alert; ids are 24 hex digits
    Sample("mongodb", {"alert.open": {
        "id": DELIVERY, "alertConfigId": "5df90590f10fab5e33de2306",
        "groupId": "5df90590f10fab5e33de2305", "eventTypeName": "JOINED_GROUP",
        "status": "OPEN", "created": ISO, "updated": ISO,
        "humanReadable": "Ada Lovelace joined the project"}},
           delivery_id=Fresh(length=24)),
    # docs.moderntreasury.com/platform/reference/webhooks (request headers)
    Sample("modern-treasury", {"payment_order.completed": {
        "id": DELIVERY, "event": "completed",
        "data": {"id": UUID, "object": "payment_order", "type": "ach",
                 "status": "completed", "amount": 1000, "currency": "USD"}}},
           user_agent="ModernTreasury/Webhooks"),
    Sample("signal-sciences", {"flag": {
        "id": DELIVERY, "type": "flag", "created": "2026-01-01T00:00:00Z",
        "payload": {"ip": "198.51.100.7"}, "link": "https://dashboard.signalsciences.net/"}}),
    Sample("sonatype", {"rm:repository:asset": {
        "nodeId": DELIVERY, "action": "CREATED", "repositoryName": "npm-proxy",
        "initiator": "admin/127.0.0.1", "asset": {"format": "npm", "name": "concrete"}}}),
    # docs.cdp.coinbase.com commerce webhooks: the event sits under `event`
    Sample("coinbase", {"charge:confirmed": {
        "id": DELIVERY, "scheduled_for": ISO, "attempt_number": 1,
        "event": {"id": UUID, "resource": "event", "type": "charge:confirmed",
                  "api_version": "2018-03-22", "created_at": ISO,
                  "data": {"id": UUID, "code": "66BEOV2A", "name": "Tee"}}}},
           delivery_id=UUID),
    # docs.castle.io/docs/subscribe-to-webhooks (example payload)
    Sample("castle", {"$incident.confirmed": {
        "api_version": "v1", "app_id": "368721375658952", "type": "$incident.confirmed",
        "risk": 0.98, "created_at": ISO,
        "data": {"id": DELIVERY, "device_token": Fresh("eyJ"), "user_id": "u_1"}}}),
    Sample("bolt", {"payment": {"id": DELIVERY, "type": "payment", "object": "transaction",
                                "data": {"amount": 1000}}}),
    Sample("clearbit", {"person": {"id": DELIVERY, "type": "person", "status": 200,
                                   "body": {"email": "alex@clearbit.com"}}}),
    # aps.autodesk.com webhooks callbacks: the hook (with its event) beside the payload
    Sample("autodesk", {"dm.version.added": {
        "version": "1.0", "resourceUrn": "urn:adsk.wipprod:fs.file:vf.abc?version=2",
        "hook": {"hookId": DELIVERY, "system": "data", "event": "dm.version.added",
                 "tenant": "urn:adsk.wipprod:fs.folder:co.abc"},
        "payload": {"name": "model.rvt", "version": "2", "creator": "ABCDEF"}}}),
    # developers.docusign.com/platform/webhooks/connect/json-sim-event-model/
    Sample("docusign", {"envelope-completed": {
        "event": "envelope-completed", "apiVersion": "v2.1",
        "uri": Text("/restapi/v2.1/accounts/5b2f3a1c-9d8e-4f7a-b6c5-d4e3f2a1b0c9/envelopes/{0}",
                    DOCUSIGN_ENVELOPE),
        "retryCount": 0, "configurationId": 10418882, "generatedDateTime": ISO,
        "data": {"accountId": "5b2f3a1c-9d8e-4f7a-b6c5-d4e3f2a1b0c9",
                 "userId": "2a1b0c9d-8e7f-4a6b-9c5d-4e3f2a1b0c9d",
                 "envelopeId": DOCUSIGN_ENVELOPE}}}),
    Sample("hostedhooks", {"order.fulfilled": {
        "id": DELIVERY, "event_type": "order.fulfilled", "version": "1.0",
        "data": {"order": {"id": 1}}}}),
    Sample("trendmicro-conformity", {"check.failure": {
        "checkId": DELIVERY, "status": "check.failure", "ruleId": "S3-021",
        "riskLevel": "HIGH"}}),
)
