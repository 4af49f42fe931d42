"""Sample events of the providers that are rows of `signatures/table.py` (ngrok's
verify-webhook list and beyond) and of Standard Webhooks' brands, shaped as each one's
documentation shows them."""

from __future__ import annotations

from .template import DELIVERY, ISO, MILLISECONDS, SECONDS, UUID, Fresh, Now, Sample

ROWS = (
    Sample("aftership", {"tracking_update": {
        "event_id": DELIVERY, "event": "tracking_update",
        "msg": {"id": "trk_5f8e0c", "tracking_number": "1Z999AA10123456784",
                "tag": "InTransit"}}}),
    Sample("alchemy", {"ADDRESS_ACTIVITY": {
        "id": DELIVERY, "type": "ADDRESS_ACTIVITY", "webhookId": "wh_octjglnywaupz6th",
        "event": {"network": "ETH_MAINNET", "activity": [{"asset": "ETH", "value": 0.01}]}}}),
    Sample("circleci", {"workflow-completed": {
        "id": DELIVERY, "type": "workflow-completed",
        "workflow": {"name": "build", "status": "success"}}}),
    Sample("calendly", {"invitee.created": {
        "created_by": DELIVERY, "event": "invitee.created",
        "payload": {"email": "ada@example.com", "name": "Ada Lovelace", "status": "active"}}}),
    Sample("zendesk", {"zen:event-type:ticket.created": {
        "id": DELIVERY, "type": "zen:event-type:ticket.created",
        "detail": {"id": "35436", "subject": "Help, my printer"}}}),
    Sample("mux", {"video.asset.ready": {
        "id": DELIVERY, "type": "video.asset.ready",
        "data": {"id": "asset_0001", "status": "ready", "duration": 23.4}}}),
    Sample("pagerduty", {"incident.triggered": {
        "id": DELIVERY, "event_type": "incident.triggered", "resource_type": "incident"}}),
    Sample("razorpay", {"payment.captured": {
        "account_id": DELIVERY, "event": "payment.captured", "entity": "event",
        "payload": {"payment": {"entity": {"id": "pay_DESlfW9H8K9uqM", "amount": 100}}}}}),
    Sample("coinify", {"trade.completed": {
        "id": DELIVERY, "event": "trade.completed",
        "context": {"id": 1234, "state": "completed"}}}),
    Sample("fourthwall", {"ORDER_PLACED": {
        "id": DELIVERY, "type": "ORDER_PLACED",
        "data": {"id": "ord_1", "amounts": {"total": {"value": 25}}}}}),
    Sample("logto", {"User.Created": {"id": DELIVERY, "event": "User.Created"}}),
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
    Sample("rootly", {"incident.created": {"id": DELIVERY, "event": "incident.created"}}),
    Sample("leaf", {"fieldCreated": {"id": DELIVERY, "type": "fieldCreated"}}),
    Sample("persona", {"inquiry.completed": {
        "id": DELIVERY, "type": "inquiry.completed",
        "data": {"type": "event", "attributes": {"name": "inquiry.completed"}}}}),
    Sample("buildkite", {"build.finished": {
        "build_id": DELIVERY, "event": "build.finished",
        "build": {"number": 42, "state": "passed", "branch": "main"}}}),
    Sample("mongodb", {"alert.open": {
        "id": DELIVERY, "eventTypeName": "JOINED_GROUP", "status": "OPEN",
        "groupId": "5df90590f10fab5e33de2305"}}),
    # docs.moderntreasury.com/platform/reference/webhooks (request headers)
    Sample("modern-treasury", {"payment_order.completed": {
        "id": DELIVERY, "event": "completed",
        "data": {"id": "po_1", "object": "payment_order", "status": "completed",
                 "amount": 1000}}}, user_agent="ModernTreasury/Webhooks"),
    Sample("signal-sciences", {"flag": {
        "id": DELIVERY, "type": "flag", "created": "2026-01-01T00:00:00Z",
        "payload": {"ip": "198.51.100.7"}, "link": "https://dashboard.signalsciences.net/"}}),
    Sample("sonatype", {"rm:repository:asset": {
        "nodeId": DELIVERY, "action": "CREATED", "repositoryName": "npm-proxy",
        "initiator": "admin/127.0.0.1", "asset": {"format": "npm", "name": "concrete"}}}),
    # docs.cdp.coinbase.com commerce webhooks: the event sits under `event`
    Sample("coinbase", {"charge:confirmed": {
        "id": DELIVERY, "scheduled_for": ISO, "attempt_number": 1,
        "event": {"id": Fresh(), "type": "charge:confirmed", "api_version": "2018-03-22",
                  "created_at": ISO, "data": {"code": "66BEOV2A", "name": "Tee"}}}}),
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
    Sample("docusign", {"envelope-completed": {
        "configurationId": DELIVERY, "event": "envelope-completed", "apiVersion": "v2.1",
        "retryCount": 0, "data": {"envelopeId": "93be49ab-0000-0000-0000-000000000000"}}}),
    Sample("hostedhooks", {"order.fulfilled": {
        "id": DELIVERY, "event_type": "order.fulfilled", "version": "1.0",
        "data": {"order": {"id": 1}}}}),
    Sample("trendmicro-conformity", {"check.failure": {
        "checkId": DELIVERY, "status": "check.failure", "ruleId": "S3-021",
        "riskLevel": "HIGH"}}),
    # orb-billing's webhook event types: {id, created_at, type, properties, <resource>}
    Sample("orb", {"customer.created": {
        "id": DELIVERY, "created_at": ISO, "type": "customer.created", "properties": {},
        "payload_style": "standard",
        "customer": {"id": Fresh("cus_"), "external_customer_id": "acme-42",
                     "name": "Acme Corp", "email": "billing@acme.example", "currency": "USD",
                     "timezone": "Etc/UTC"}}}),
    # docs.sentry.io integration-platform webhooks: {action, installation, data, actor}
    Sample("sentry", {"issue": {
        "action": "created", "installation": {"uuid": UUID},
        "data": {"issue": {"id": "1170820242", "shortId": "APP-1", "title": "TypeError",
                           "status": "unresolved", "level": "error"}},
        "actor": {"type": "application", "id": "sentry", "name": "Sentry"}}}),
    # developer.hashicorp.com notification-configurations: the run notification (version 1)
    Sample("terraform", {"run:completed": {
        "payload_version": 1, "notification_configuration_id": "nc-AeUQ2zfKZzW9TiGZ",
        "run_url": "https://app.terraform.io/app/acme-org/my-workspace/runs/run-Fwn",
        "run_id": "run-FwnENkvDnrpyFC7M", "run_message": "Add five new queue workers",
        "run_created_at": ISO, "run_created_by": "sample-user",
        "workspace_id": "ws-XdeUVMWShTesDMME", "workspace_name": "my-workspace",
        "organization_name": "acme-org",
        "notifications": [{"message": "Run Completed", "trigger": "run:completed",
                           "run_status": "applied", "run_updated_at": ISO,
                           "run_updated_by": "sample-user"}]}}),
    # launchdarkly.com/docs/api/webhooks: an audit log entry
    Sample("launch-darkly", {"flag": {
        "_id": DELIVERY, "date": MILLISECONDS, "kind": "flag", "name": "New checkout",
        "description": "- Turned on the flag in Production",
        "accesses": [{"action": "updateOn",
                      "resource": "proj/default:env/production:flag/new-checkout"}],
        "member": {"email": "ariel@acme.com", "firstName": "Ariel", "lastName": "Flores"}}}),
    # developers.tiktok.com/doc/webhooks-events: {client_key, event, create_time, user_openid,
    # content}
    Sample("tiktok", {"authorization.removed": {
        "client_key": "bwo2m45353a6k85", "event": "authorization.removed",
        "create_time": SECONDS, "user_openid": "act.example12345Example12345Example",
        "content": "{\"reason\": 1 }"}}),
    # docs.pinwheelapi.com webhooks: {event, event_id, payload}
    Sample("pinwheel", {"account.added": {
        "event": "account.added", "event_id": DELIVERY,
        "payload": {"account_id": UUID, "end_user_id": "my_user_12345",
                    "platform_name": "Justworks", "created_at": ISO, "connected": True,
                    "monitoring_status": "active"}}}),
    Sample("go1", {"enrollment.complete": {"id": DELIVERY,
                                           "event_type": "enrollment.complete"}}),
    # AdobeDocs/frameio-api Webhooks guide: {type, resource, account, project, user, workspace}
    Sample("frameio", {"file.ready": {
        "type": "file.ready", "resource": {"id": UUID, "type": "file"},
        "account": {"id": "6f70f1bd-7e89-4a7e-b4d3-7e576585a181"},
        "project": {"id": "7e46e495-4444-4555-8649-bee4d391a997"},
        "user": {"id": "56556a3f-859f-4b38-b6c6-e8625b5da8a5"},
        "workspace": {"id": "378fcbf7-6f88-4224-8139-6a743ed940b2"}}}),
    # heroku/webhooks-docs docs/event-examples: {action, actor, data, id, resource, ...}
    Sample("heroku", {"release": {
        "action": "create", "actor": {"email": "user-0436@example.com",
                                      "id": "096370c8-f3ad-4e20-a309-fb4f06ec0a89"},
        "created_at": ISO, "id": DELIVERY, "resource": "release",
        "data": {"id": UUID, "version": 42, "status": "succeeded",
                 "description": "Deploy 1a2b3c4", "app": {"name": "sample-app-0301"}},
        "previous_data": {}, "published_at": None, "sequence": None, "updated_at": ISO,
        "version": "application/vnd.heroku+json; version=3",
        "webhook_metadata": {"delivery": {"id": UUID},
                             "event": {"id": DELIVERY, "include": "api:release"}}}}),
    # clerk.com/docs webhooks: {data, object: "event", type}
    Sample("clerk", {"user.created": {
        "object": "event", "type": "user.created", "timestamp": MILLISECONDS,
        "data": {"id": Fresh("user_"), "object": "user", "first_name": "Example",
                 "created_at": MILLISECONDS, "email_addresses": []}}}),
    # resend.com/docs webhooks: {type, created_at, data}
    Sample("resend", {"email.sent": {
        "type": "email.sent", "created_at": ISO,
        "data": {"email_id": UUID, "from": "Acme <onboarding@resend.dev>",
                 "to": ["delivered@resend.dev"], "subject": "Sending this example"}}}),
    # replicate.com/docs webhooks: the prediction object itself
    Sample("replicate", {"prediction.completed": {
        "id": Fresh("p"), "version": "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca9",
        "status": "succeeded", "input": {"prompt": "an astronaut riding a horse"},
        "output": ["https://replicate.delivery/pbxt/out-0.png"],
        "created_at": Now("iso8601", -4), "completed_at": ISO}}),
)
