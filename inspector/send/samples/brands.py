"""Sample events of the later rows of `signatures/table.py` and of Standard Webhooks' brands,
shaped as each one's documentation shows them."""

from __future__ import annotations

from .template import DELIVERY, ISO, MILLISECONDS, SECONDS, UUID, Fresh, Now, Sample, Text

PREDICTION = Fresh("", "lower", 26, name="prediction")

BRANDS = (
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
                           "status": "unresolved", "level": "error",
                           "project": {"id": "1", "name": "app", "slug": "app",
                                       "platform": "python"}}},
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
        "_links": {"canonical": {"href": "/api/v2/flags/default/new-checkout",
                                 "type": "application/json"},
                   "parent": {"href": "/api/v2/auditlog", "type": "application/json"},
                   "self": {"href": Text("/api/v2/auditlog/{0}", DELIVERY),
                            "type": "application/json"},
                   "site": {"href": "/default/production/features/new-checkout",
                            "type": "text/html"}},
        "_id": DELIVERY, "_accountId": "5d8a46e8c9a3e80838c1d3c9", "date": MILLISECONDS,
        "kind": "flag", "name": "New checkout",
        "description": "- Turned on the flag in Production",
        "shortDescription": "", "titleVerb": "turned on the flag",
        "accesses": [{"action": "updateOn",
                      "resource": "proj/default:env/production:flag/new-checkout"}],
        "member": {"email": "ariel@acme.com", "firstName": "Ariel", "lastName": "Flores"}}},
           delivery_id=Fresh(length=24)),
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
                    "platform_id": "fce3eee0-285b-496f-9b36-30e976194736",
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
                 "to": ["delivered@resend.dev"], "subject": "Sending this example",
                 "created_at": ISO}}}),
    # replicate.com/docs webhooks: the prediction object itself
    Sample("replicate", {"prediction.completed": {
        "id": PREDICTION, "model": "stability-ai/sdxl",
        "version": "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca9",
        "status": "succeeded", "input": {"prompt": "an astronaut riding a horse"},
        "output": ["https://replicate.delivery/pbxt/out-0.png"], "error": None,
        "logs": "", "metrics": {"predict_time": 3.1},
        "created_at": Now("iso8601", -4), "started_at": Now("iso8601", -3),
        "completed_at": ISO,
        "urls": {"get": Text("https://api.replicate.com/v1/predictions/{0}", PREDICTION),
                 "cancel": Text("https://api.replicate.com/v1/predictions/{0}/cancel",
                                PREDICTION),
                 "web": Text("https://replicate.com/p/{0}", PREDICTION)}}}),
)
