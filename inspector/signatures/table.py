"""Providers whose scheme is plain data: a header, an algorithm, an encoding, a prefix and a
payload template over the raw body. Adding one is one row here plus its vectors; the HMAC
machinery, its diagnosis of mismatches and the contract tests come with it.

Each row names where its construction is documented (`source`). Anything not documented there
is not in a row.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Verdict
from ._api import Delivery, Handshake, Identity, Key, identity, text
from ._hmac import HmacScheme, Received
from .handshakes import (
    Answerer,
    dropbox_challenge,
    twitter_crc,
    worldline_verification,
    xero_intent_to_receive,
)
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
    separator: str | None = None  # several signatures in the header (key rotation)
    tolerance_s: float | None = None
    markers: tuple[str, ...] = ()  # further headers that only this provider sends
    # Where another provider signs with the same header, the header does not mark the request:
    # it is this provider's when it also has this field in its JSON body.
    body_marker: str | None = None
    handshake: Answerer | None = None  # how it proves an endpoint before delivering
    event_header: str | None = None
    event_field: str | None = None  # else the event is this field of a JSON body
    id_field: str | None = None  # the delivery id: this field of a JSON body
    secret_hint: str = "the webhook signing secret"


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
    Row("jira", "X-Hub-Signature", prefix="sha256=", body_marker="webhookEvent",
        event_field="webhookEvent",
        secret_hint="the admin webhook's secret",
        source="https://developer.atlassian.com/cloud/jira/platform/webhooks/ (secure admin "
               "webhooks); confluence.atlassian.com/adminjiraserver/managing-webhooks-938846912"),
    Row("webex", "X-Spark-Signature", algorithm="sha1", secret_hint="the webhook's secret",
        source="https://developer.webex.com/blog/using-a-webhook-secret"),
)


class _FromRow(HmacScheme):
    """What a row's scheme adds to the HMAC machinery: its settings, identity and event."""

    row: Row

    def configure(self, row: Row) -> None:
        self.row = row
        self.name = row.name
        self.signature_header = row.header
        self.marker_headers = row.markers if row.body_marker else (row.header, *row.markers)
        self.timestamp_header = row.timestamp_header
        self.algorithm = row.algorithm
        self.encoding = row.encoding
        self.prefix = row.prefix
        self.template = row.template
        self.tolerance_s = row.tolerance_s
        self.secret_hint = row.secret_hint

    def handshake(self, delivery: Delivery, key: Key, now: float) -> Handshake | None:
        answer = self.row.handshake
        return None if answer is None else answer(self, delivery, key, now)

    def detect_body(self, delivery: Delivery) -> bool:
        marker = self.row.body_marker
        if marker is None or self.signature_header not in delivery.headers:
            return False
        return delivery.body_field(marker) is not None

    def identify(self, delivery: Delivery) -> Identity:
        row = self.row
        event = delivery.headers.get(row.event_header) if row.event_header else None
        if event is None and row.event_field:
            event = text(delivery.body_field(row.event_field))
        delivery_id = text(delivery.body_field(row.id_field)) if row.id_field else None
        return identity(row.name, event, delivery_id)


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
