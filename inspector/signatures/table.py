"""Providers whose scheme is plain data: a header, an algorithm, an encoding, a prefix and a
payload template over the raw body. Adding one is one row here plus its vectors; the HMAC
machinery, its diagnosis of mismatches and the contract tests come with it.

Each row names where its construction is documented (`source`). Anything not documented there
is not in a row.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Verdict
from ._api import Delivery, Identity, Sending, identity, text
from ._hmac import HmacScheme, Received
from .keyed_headers import KeyedHeaderScheme


@dataclass(frozen=True)
class Row:
    name: str
    header: str  # the signature header
    source: str  # the documentation of the construction
    algorithm: str = "sha256"
    encoding: str = "hex"
    prefix: str = ""
    template: str = "{body}"
    # `t=<ts>,v1=<sig>`-style headers: the names of the timestamp and the signature in it.
    keyed: tuple[str, str] | None = None
    timestamp_header: str | None = None  # where {timestamp} comes from, when not `keyed`
    timestamp_ms: bool = False  # the timestamp is in milliseconds
    separator: str | None = None  # several signatures in the header (key rotation)
    tolerance_s: float | None = None
    markers: tuple[str, ...] = ()  # further headers that only this provider sends
    # False where the signature header's name is generic (X-Signature): then only `markers`
    # mark a request as this provider's.
    signature_marks: bool = True
    event_header: str | None = None  # sent by `send` too
    event_field: str | None = None  # else the event is this field of a JSON body ("a.b": nested)
    id_header: str | None = None  # the delivery id: this header
    id_field: str | None = None  # else this field of a JSON body
    secret_hint: str = "the webhook signing secret"
    aliases: tuple[str, ...] = ()  # the brand's own spelling (SPEC section 9)


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
        event_field="type", id_field="id", secret_hint="the webhook's signing secret",
        source="https://mux.com/docs/core/verify-webhook-signatures"),
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
    Row("lemon-squeezy", "X-Signature", signature_marks=False, markers=("X-Event-Name",),
        event_header="X-Event-Name", event_field="meta.event_name", aliases=("lemonsqueezy",),
        secret_hint="the webhook's signing secret",
        source="https://docs.lemonsqueezy.com/help/webhooks/signing-requests; "
               "https://www.lemonsqueezy.com/docs/api/webhooks (request headers)"),
    Row("sanity", "sanity-webhook-signature", keyed=("t", "v1"), template="{timestamp}.{body}",
        encoding="base64url", timestamp_ms=True, secret_hint="the webhook's secret",
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
    Row("segment", "X-Signature", algorithm="sha1", signature_marks=False, event_field="type",
        id_field="messageId",
        secret_hint="the destination's shared secret (give this secret the endpoint's paths: "
                    "X-Signature is a generic header name)",
        source="https://www.twilio.com/docs/segment/connections/destinations/catalog/"
               "actions-webhook (shared secret)"),
    # Webhook-Signature is Standard Webhooks' header too, which claims it: a GoCardless secret
    # is matched to its requests by its paths.
    Row("gocardless", "Webhook-Signature", signature_marks=False,
        secret_hint="the webhook endpoint's secret (give this secret the endpoint's paths: "
                    "Webhook-Signature is also Standard Webhooks' header)",
        source="https://github.com/gocardless/gocardless-pro-python gocardless_pro/webhooks.py; "
               "https://www.rubydoc.info/gems/gocardless_pro/GoCardlessPro/Webhook"),
)


class _FromRow(HmacScheme):
    """What a row's scheme adds to the HMAC machinery: its settings, identity and event."""

    row: Row

    def configure(self, row: Row) -> None:
        self.row = row
        self.name = row.name
        self.aliases = row.aliases
        self.signature_header = row.header
        self.marker_headers = ((row.header,) if row.signature_marks else ()) + row.markers
        self.timestamp_header = row.timestamp_header
        self.id_header = row.id_header
        self.algorithm = row.algorithm
        self.encoding = row.encoding
        self.prefix = row.prefix
        self.template = row.template
        self.tolerance_s = row.tolerance_s
        self.secret_hint = row.secret_hint
        event_header = row.event_header
        if event_header is not None:
            self.sending = Sending(headers=lambda event, delivery_id, now: [(event_header, event)])

    def identify(self, delivery: Delivery) -> Identity:
        row = self.row
        event = delivery.headers.get(row.event_header) if row.event_header else None
        if event is None and row.event_field:
            event = text(delivery.body_field(*row.event_field.split(".")))
        delivery_id = delivery.headers.get(row.id_header) if row.id_header else None
        if delivery_id is None and row.id_field:
            delivery_id = text(delivery.body_field(*row.id_field.split(".")))
        return identity(row.name, event, delivery_id)

    def timestamp_seconds(self, received: Received, delivery: Delivery) -> float | None:
        seconds = super().timestamp_seconds(received, delivery)
        if seconds is None or not self.row.timestamp_ms:
            return seconds
        return seconds / 1000

    def signing_timestamp(self, now: float) -> str:
        return str(int(now * 1000)) if self.row.timestamp_ms else super().signing_timestamp(now)


class RowScheme(_FromRow):
    def __init__(self, row: Row) -> None:
        self.configure(row)

    def read(self, delivery: Delivery) -> Received | Verdict:
        """With a separator, every signature in the header may match (key rotation)."""
        received = super().read(delivery)
        separator = self.row.separator
        if separator is None or isinstance(received, Verdict):
            return received
        signatures = [item.strip().removeprefix(self.prefix)
                      for item in received.raw.split(separator) if item.strip()]
        return received._replace(signatures=signatures)


class KeyedRowScheme(_FromRow, KeyedHeaderScheme):
    def __init__(self, row: Row) -> None:
        self.configure(row)
        self.timestamp_key, self.signature_key = row.keyed or ("t", "v1")


def schemes() -> tuple[HmacScheme, ...]:
    return tuple(KeyedRowScheme(row) if row.keyed else RowScheme(row) for row in ROWS)
