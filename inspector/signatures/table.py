"""Providers whose scheme is plain data: a header, an algorithm, an encoding, a prefix and a
payload template over the raw body (`row_schemes.Row`). Adding one is one row here plus its
vectors; the schemes are made from the rows in `row_schemes`.

Each row names where its construction is documented (`source`). Anything not documented there
is not in a row.
"""

from __future__ import annotations

from .handshakes import (
    dropbox_challenge,
    twitter_crc,
    worldline_verification,
    xero_intent_to_receive,
)
from .row_schemes import Row


def modern_treasury_headers(event: str, delivery_id: str, now: float) -> list[tuple[str, str]]:
    """X-Topic names the resource (`payment_order`); the body's `event`, what happened to it."""
    return [("X-Topic", event.partition(".")[0]), ("X-Webhook-ID", delivery_id)]


ROWS: tuple[Row, ...] = (
    Row("aftership", "aftership-hmac-sha256", encoding="base64", event_field="event",
        id_field="event_id", secret_hint="the webhook secret (Settings > Webhooks)",
        source="https://www.aftership.com/docs/tracking/webhook/webhook-signature"),
    Row("alchemy", "X-Alchemy-Signature", event_field="type", id_field="id",
        secret_hint="the webhook's signing key",
        source="https://docs.alchemy.com/reference/notify-api-quickstart "
               "(webhook signature and security)"),
    Row("circleci", "circleci-signature", prefix="v1=", event_field="type", id_field="id",
        secret_hint="the webhook's secret token",
        source="https://circleci.com/docs/outbound-webhooks (headers)"),
    Row("calendly", "Calendly-Webhook-Signature", keyed=("t", "v1"),
        template="{timestamp}.{body}", tolerance_s=180, event_field="event",
        secret_hint="the webhook signing key",
        source="https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures"),
    Row("zendesk", "X-Zendesk-Webhook-Signature", encoding="base64",
        template="{timestamp}{body}", timestamp_header="X-Zendesk-Webhook-Signature-Timestamp",
        secret_hint="the webhook's signing secret",
        source="https://developer.zendesk.com/documentation/webhooks/verifying/"),
    Row("mux", "Mux-Signature", keyed=("t", "v1"), template="{timestamp}.{body}",
        tolerance_s=300, reject_future=False, event_field="type", id_field="id",
        secret_hint="the webhook's signing secret",
        source="https://mux.com/docs/core/verify-webhook-signatures; npm @mux/mux-node 15.3.0 "
               "src/resources/webhooks/webhooks.ts verifySignature (tolerance 300 s, only old "
               "timestamps rejected)"),
    Row("pagerduty", "X-PagerDuty-Signature", prefix="v1=", separator=",",
        secret_hint="the subscription's signing secret",
        source="https://github.com/PagerDuty/developer-docs docs/webhooks/04-Signatures.md"),
    Row("razorpay", "X-Razorpay-Signature", event_field="event",
        secret_hint="the webhook secret set in the Dashboard (not the API key secret)",
        source="https://razorpay.com/docs/payments/payment-gateway/s2s-integration/test-s2s/"
               "best-practices/security"),
    Row("coinify", "X-Coinify-Webhook-Signature", event_field="event", id_field="id",
        secret_hint="the webhook's shared secret",
        source="https://coinify.readme.io/docs/webhook-signature"),
    Row("fourthwall", "X-Fourthwall-Hmac-SHA256", encoding="base64", event_field="type",
        id_field="id", secret_hint="the shop's webhook secret key",
        source="https://docs.fourthwall.com/webhooks/signature-verification"),
    Row("logto", "logto-signature-sha-256", event_field="event",
        source="https://docs.logto.io/developers/webhooks/secure-webhooks"),
    Row("exa", "Exa-Signature", keyed=("t", "v1"), template="{timestamp}.{body}",
        event_field="type", id_field="id",
        source="https://exa.ai/docs/websets/api/webhooks/verifying-signatures"),
    Row("datasaur", "X-Datasaur-Signature",
        source="https://docs.datasaur.ai/integrations/webhook-notifications/webhook-signature"),
    Row("oracle-commerce", "X-Oracle-CC-WebHook-Signature", algorithm="sha512",
        encoding="base64",
        source="https://docs.oracle.com/en/cloud/saas/cx-commerce/ccdev/secure-webhooks.html"),
    Row("xobni", "X-Xobni-Signature", prefix="sha256=", template="{timestamp}.{body}",
        timestamp_header="X-Xobni-Timestamp", event_header="X-Xobni-Event",
        source="https://www.xobni.ai/docs/webhooks/security"),
    Row("emailit", "X-Emailit-Signature", template="{timestamp}.{body}",
        timestamp_header="X-Emailit-Timestamp", event_field="type",
        source="https://emailit.com/docs/webhooks/request-signature/"),
    Row("lusha", "X-Lusha-Signature", template="{timestamp}.{body}",
        timestamp_header="X-Lusha-Timestamp", source="https://docs.lusha.com/webhooks/security"),
    Row("zoho-payments", "X-Zoho-Webhook-Signature", keyed=("t", "v"),
        template="{timestamp}.{body}", event_field="event_type",
        source="https://zoho.com/in/payments/developerdocs/webhooks/verification"),
    Row("zavu", "X-Zavu-Signature", keyed=("t", "v1"), template="{timestamp}.{body}",
        event_field="type", source="https://docs.zavu.dev/guides/receiving-messages/security"),
    Row("rootly", "X-Rootly-Signature", keyed=("t", "v1"), template="{timestamp}{body}",
        source="https://docs.rootly.com/configuration/webhooks (verifying webhooks)"),
    Row("leaf", "X-Leaf-Signature", encoding="base64", event_field="type",
        source="https://docs.withleaf.io/alerts/authentication"),
    Row("persona", "Persona-Signature", keyed=("t", "v1"), template="{timestamp}.{body}",
        secret_hint="the webhook secret (wbhsec_…)",
        source="https://docs.withpersona.com/v2022-09-01/docs/best-practices "
               "(checking signatures)"),
    Row("buildkite", "X-Buildkite-Signature", keyed=("timestamp", "signature"),
        template="{timestamp}.{body}", tolerance_s=300, markers=("X-Buildkite-Event",),
        event_header="X-Buildkite-Event", secret_hint="the webhook's signature token",
        source="https://buildkite.com/docs/apis/webhooks (webhook signature)"),
    # Atlas alert webhooks (the ones ngrok's MongoDB guide configures).
    Row("mongodb", "X-MMS-Signature", algorithm="sha1", encoding="base64",
        event_header="X-MMS-Event", id_field="id",
        secret_hint="the Webhook Secret of the Atlas webhook integration",
        source="https://www.mongodb.com/docs/atlas/tutorial/webhook-integration/"),
    # X-Signature is a generic name: X-Topic and X-Live, which every delivery carries (with
    # User-Agent ModernTreasury/Webhooks and X-Event-Id), mark it.
    Row("modern-treasury", "X-Signature", shared_header=True, markers=("X-Topic", "X-Live"),
        id_header="X-Webhook-ID", sends=modern_treasury_headers, aliases=("modern_treasury",),
        secret_hint="the webhook key (Developer Settings)",
        source="https://docs.moderntreasury.com/platform/docs/verifying-webhooks; "
               "https://docs.moderntreasury.com/platform/reference/webhooks (X-Signature, "
               "X-Webhook-ID); modern-treasury (PyPI) webhooks.get_signature"),
    Row("signal-sciences", "X-SigSci-Signature", event_field="type",
        aliases=("signal_sciences", "signalsciences"),
        secret_hint="the generic webhook integration's signing key",
        source="https://docs.fastly.com/en/ngwaf/generic-webhooks"),
    Row("sonatype", "X-Nexus-Webhook-Signature", algorithm="sha1",
        event_header="X-Nexus-Webhook-Id", id_header="X-Nexus-Webhook-Delivery",
        aliases=("nexus",), secret_hint="the webhook capability's Secret Key",
        source="https://help.sonatype.com/en/example-headers-and-payloads.html, "
               "https://help.sonatype.com/en/enabling-a-repository-webhook-capability.html"),
    Row("coinbase", "X-CC-Webhook-Signature", event_field="event.type", id_field="id",
        aliases=("coinbase-commerce",), secret_hint="the webhook shared secret "
        "(Settings > Notifications)",
        source="https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security; "
               "coinbase-commerce-python webhook.py"),
    Row("castle", "X-Castle-Signature", encoding="base64", event_field="type",
        secret_hint="the Castle API secret",
        source="https://docs.castle.io/docs/subscribe-to-webhooks; castle (PyPI) "
               "castle.webhooks.verify.WebhooksVerify"),
    Row("bolt", "X-Bolt-Hmac-Sha256", encoding="base64",
        secret_hint="the Signing Secret (Administration > API)",
        source="https://help.bolt.com/developers/webhooks/hook-verification"),
    Row("clearbit", "X-Request-Signature", algorithm="sha1", prefix="sha1=",
        event_field="type", id_field="id", secret_hint="the Clearbit secret API key",
        source="https://github.com/clearbit/clearbit-ruby lib/clearbit/webhook.rb "
               "(Clearbit::Webhook.valid?)"),
    Row("autodesk", "x-adsk-signature", algorithm="sha1", prefix="sha1hash=",
        event_field="hook.event", secret_hint="the webhook secret token",
        source="https://aps.autodesk.com/en/docs/webhooks/v1/tutorials/"
               "how-to-verify-payload-signature/; github.com/autodesk-platform-services/"
               "aps-webhooks-signature"),
    Row("docusign", "X-DocuSign-Signature", numbered=100, encoding="base64",
        event_field="event", secret_hint="a Connect HMAC key (any of the active ones)",
        source="https://developers.docusign.com/platform/webhooks/connect/validate"),
    Row("hostedhooks", "HostedHooks-Signature", keyed=("t", "s"),
        template="{timestamp}.{body}", event_field="event_type",
        secret_hint="the endpoint's signing secret",
        source="https://docs.hostedhooks.com/security/security-features/webhook-signatures "
               "(it names the Rack variable HTTP_HOSTEDHOOKS_SIGNATURE)"),
    Row("trendmicro-conformity", "X-Conformity-Signature",
        aliases=("trendmicro_conformity", "conformity"),
        secret_hint="the channel's Webhook Security Token",
        source="https://cloudone.trendmicro.com/docs/conformity/webhook-communication/"),
    Row("orb", "X-Orb-Signature", prefix="v1=", separator=" ", template="v1:{timestamp}:{body}",
        timestamp_header="X-Orb-Timestamp", timestamp_format="iso8601", tolerance_s=300,
        event_field="type", id_field="id", secret_hint="the endpoint's webhook secret",
        source="PyPI orb-billing 4.90.0 orb/resources/webhooks/webhooks.py verify_signature "
               "(also npm orb-billing src/resources/webhooks.ts)"),
    Row("sentry", "Sentry-Hook-Signature", markers=("Sentry-Hook-Resource",),
        event_header="Sentry-Hook-Resource", secret_hint="the integration's client secret",
        source="https://docs.sentry.io/organization/integrations/integration-platform/webhooks/ "
               "(Sentry-Hook-Signature); getsentry/sentry SentryApp.build_signature"),
    Row("terraform", "X-TFE-Notification-Signature", algorithm="sha512", event_field="trigger",
        secret_hint="the notification configuration's token",
        source="https://developer.hashicorp.com/terraform/cloud-docs/api-docs/"
               "notification-configurations#notification-authenticity"),
    Row("launch-darkly", "X-LD-Signature", event_field="kind", id_field="_id",
        aliases=("launch_darkly", "launchdarkly"), secret_hint="the webhook's secret",
        source="https://launchdarkly.com/docs/home/infrastructure/webhooks (signing webhooks)"),
    Row("tiktok", "TikTok-Signature", keyed=("t", "s"), template="{timestamp}.{body}",
        event_field="event", secret_hint="the app's client secret",
        source="https://developers.tiktok.com/doc/webhooks-verification"),
    Row("pinwheel", "X-Pinwheel-Signature", prefix="v2=", template="v2:{timestamp}:{body}",
        timestamp_header="X-Timestamp", event_field="event", id_field="event_id",
        secret_hint="the API secret",
        source="https://docs.pinwheelapi.com/docs/webhook-signature-verification"),
    Row("go1", "go1-signature", keyed=("t", "v1"), template="{timestamp}.{body}", tolerance_s=60,
        reject_future=False, secret_hint="the shared secret given when the webhook was created",
        source="github.com/go1com/webhook-verifier-js src/signature-verifier.ts and src/config.ts "
               "(npm @go1/webhook-verifier-js)"),
    Row("frameio", "X-Frameio-Signature", prefix="v0=", template="v0:{timestamp}:{body}",
        timestamp_header="X-Frameio-Request-Timestamp", tolerance_s=300, event_field="type",
        secret_hint="the webhook's signing secret (returned once, when it is created)",
        source="github.com/AdobeDocs/frameio-api src/pages/guides/Webhooks/index.md "
               "(verifying webhook signatures)"),
    Row("heroku", "Heroku-Webhook-Hmac-SHA256", encoding="base64", event_field="resource",
        id_field="id", secret_hint="the webhook's secret (or the Heroku-Webhook-Secret "
                                   "returned when it was created)",
        source="github.com/heroku/webhooks-docs README.md (secret; receiving webhooks)"),
    Row("twitter", "x-twitter-webhooks-signature", encoding="base64", prefix="sha256=",
        handshake=twitter_crc,
        secret_hint="the app's consumer secret (API key secret)",
        source="https://docs.x.com/x-api/webhooks/quickstart (securing incoming events); "
               "developer.x.com account-activity-api/guides/securing-webhooks"),
    Row("xero", "x-xero-signature", encoding="base64", secret_hint="the webhook signing key",
        handshake=xero_intent_to_receive,
        source="https://developer.xero.com/documentation/webhooks/configuring-your-server"),
    Row("worldline", "X-GCS-Signature", encoding="base64", markers=("X-GCS-KeyId",),
        event_field="type", id_field="id", handshake=worldline_verification,
        secret_hint="the webhooks secret key (of the key id in X-GCS-KeyId)",
        source="https://docs.connect.worldline-solutions.com/documentation/webhooks/"
               "event-structure; Connect SDK WebhooksHelper"),
    Row("dropbox", "X-Dropbox-Signature", secret_hint="the app secret",
        handshake=dropbox_challenge,
        source="https://www.dropbox.com/developers/reference/webhooks"),
    # Intercom and Bitbucket sign with X-Hub-Signature too: Jira is told by its body.
    Row("jira", "X-Hub-Signature", prefix="sha256=", shared_header=True,
        body_marker="webhookEvent", event_field="webhookEvent",
        secret_hint="the admin webhook's secret",
        source="https://developer.atlassian.com/cloud/jira/platform/webhooks/ (secure admin "
               "webhooks); confluence.atlassian.com/adminjiraserver/managing-webhooks-938846912"),
    Row("webex", "X-Spark-Signature", algorithm="sha1", secret_hint="the webhook's secret",
        source="https://developer.webex.com/blog/using-a-webhook-secret"),
    # The secret is used after WordPress's wp_specialchars_decode (HTML entities decoded).
    Row("woocommerce", "X-WC-Webhook-Signature", encoding="base64",
        markers=("X-WC-Webhook-Topic", "X-WC-Webhook-Delivery-ID"),
        event_header="X-WC-Webhook-Topic", id_header="X-WC-Webhook-Delivery-ID",
        secret_hint="the webhook's secret (WooCommerce > Settings > Advanced > Webhooks)",
        source="https://github.com/woocommerce/woocommerce plugins/woocommerce/includes/"
               "class-wc-webhook.php (deliver, generate_signature)"),
    Row("vercel", "x-vercel-signature", algorithm="sha1", event_field="type", id_field="id",
        secret_hint="the webhook's secret (an integration's webhooks: its Client Secret)",
        source="https://vercel.com/docs/webhooks (securing webhooks)"),
    Row("cal-com", "X-Cal-Signature-256", event_field="triggerEvent", aliases=("calcom",),
        secret_hint="the webhook's secret (without one Cal.com sends 'no-secret-provided')",
        source="https://github.com/calcom/cal.com packages/features/webhooks/lib/sendPayload.ts "
               "(createWebhookSignature)"),
    # X-Signature is a generic name (the generic scheme's default too): X-Event-Name marks it.
    Row("lemon-squeezy", "X-Signature", shared_header=True, markers=("X-Event-Name",),
        event_header="X-Event-Name", event_field="meta.event_name", aliases=("lemonsqueezy",),
        secret_hint="the webhook's signing secret",
        source="https://docs.lemonsqueezy.com/help/webhooks/signing-requests; "
               "https://www.lemonsqueezy.com/docs/api/webhooks (request headers)"),
    Row("sanity", "sanity-webhook-signature", keyed=("t", "v1"), template="{timestamp}.{body}",
        encoding="base64url", timestamp_format="milliseconds",
        secret_hint="the webhook's secret",
        source="https://github.com/sanity-io/webhook-toolkit src/signature.ts"),
    Row("trello", "X-Trello-Webhook", algorithm="sha1", encoding="base64",
        template="{body}{url}", event_field="action.type", id_field="action.id",
        secret_hint="the application's OAuth secret (not its API key or a token)",
        source="https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks "
               "(webhook signatures)"),
    Row("checkout-com", "Cko-Signature", event_field="type", id_field="id",
        aliases=("checkout", "checkoutcom"),
        secret_hint="the signature key of the workflow's webhook action",
        source="https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks/"
               "set-up-your-webhook-receiver (webhook signature)"),
    Row("mollie", "X-Mollie-Signature", prefix="sha256=", event_field="type", id_field="id",
        secret_hint="the next-gen webhook's signing secret (classic webhooks are not signed)",
        source="https://docs.mollie.com/reference/webhooks-best-practices; "
               "https://github.com/mollie/mollie-api-php src/Webhooks/SignatureValidator.php"),
    # The X-Hook-Secret handshake (echo the header back) is Asana's; it is not answered here.
    Row("asana", "X-Hook-Signature", markers=("X-Hook-Secret",),
        secret_hint="the X-Hook-Secret Asana sent in the webhook's handshake",
        source="https://developers.asana.com/docs/establish-a-webhook (handshake); "
               "https://github.com/Asana/devrel-examples javascript/webhooks-nodejs/index.js"),
    # X-Signature is a generic name: a Segment secret is matched to its requests by its paths.
    Row("segment", "X-Signature", algorithm="sha1", shared_header=True, event_field="type",
        id_field="messageId",
        secret_hint="the destination's shared secret (give this secret the endpoint's paths: "
                    "X-Signature is a generic header name)",
        source="https://www.twilio.com/docs/segment/connections/destinations/catalog/"
               "actions-webhook (shared secret)"),
    # Webhook-Signature is Standard Webhooks' header too, which claims it: a GoCardless secret
    # is matched to its requests by its paths.
    Row("gocardless", "Webhook-Signature", shared_header=True,
        secret_hint="the webhook endpoint's secret (give this secret the endpoint's paths: "
                    "Webhook-Signature is also Standard Webhooks' header)",
        source="https://github.com/gocardless/gocardless-pro-python gocardless_pro/webhooks.py; "
               "https://www.rubydoc.info/gems/gocardless_pro/GoCardlessPro/Webhook"),
)
