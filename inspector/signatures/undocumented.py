"""Providers whose signature scheme no primary source documents: listed, detected by a documented
header where there is one, and never guessed. A verdict says so and points to `verify discover`
and a generic `hmac` secret instead.

Adding one is one `Undocumented` entry in `ENTRIES`, with where its documentation was read.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Verdict
from ._api import (
    Delivery,
    Identity,
    Key,
    Unpublished,
    missing_header,
    verdict,
)


@dataclass(frozen=True)
class Undocumented:
    name: str
    source: str  # where the provider's own documentation was read
    known: str  # what that documentation does say about securing its deliveries
    header: str | None = None  # a header its documentation says it sends: detection
    aliases: tuple[str, ...] = ()


ENTRIES: tuple[Undocumented, ...] = (
    Undocumented(
        "vmware", aliases=("vmware_workspace", "vmware-workspace-one"),
        source="docs.vmware.com Workspace ONE UEM event notifications (not found in any copy "
               "searched; ngrok's own guide links GUID-AWT-SYSTEM-ADVANCED-API-NOTIF)",
        known="VMware publishes no signature scheme for Workspace ONE event notifications; "
              "ngrok's guide configures a username and password on the notification rule"),
    Undocumented(
        "orbit",
        source="orbit.love (the community platform ngrok lists; its documentation is offline "
               "and no copy describes webhook signing)",
        known="Orbit's webhook form takes a Webhook Secret, but no documentation of what it "
              "signs, or in which header, could be found"),
    Undocumented(
        "chargify", aliases=("maxio",),
        source="https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference; "
               "maxio-advanced-billing-sdk 10.0.0 (models/webhook.py: no verifier)",
        known="Maxio documents form-encoded webhook bodies (id, event, payload) and a "
              "signature_hmac_sha_256 field on its webhook API objects, but not the header or "
              "the bytes signed; those appear only in third-party code"),
    Undocumented(
        "brex",
        source="developer.brex.com (the Webhooks API reference: its webhook secrets and the "
               "Webhook-Signature header); the construction only in a third-party example "
               "(trigger.dev's Brex integration)",
        known="Brex's API reference names a Webhook-Signature header and rotating webhook "
              "secrets, but not the bytes signed, the algorithm or the encoding; Webhook-Signature "
              "is also Standard Webhooks' header, so it marks no request as Brex's"),
    Undocumented(
        "airship", header="X-UA-Signature",
        source="support.airship.com (webhook signatures)",
        known="Airship's support pages name X-UA-Signature and X-UA-Timestamp over "
              "'{timestamp}:{body}', but leave the signature's encoding unresolved, and whether "
              "a gzip-compressed body is signed before or after compression"),
    Undocumented(
        "notion",
        source="developers.notion.com/reference/webhooks (Notion's own webhooks reference)",
        known="a construction for its webhook signatures was found only in third-party "
              "sources, not in Notion's own documentation"),
    Undocumented(
        "customer-io", aliases=("customerio",),
        source="docs.customer.io/api/webhooks (Customer.io's Reporting Webhooks reference)",
        known="a construction for its reporting webhooks' signatures was found only in "
              "third-party sources, not in Customer.io's own documentation"),
    Undocumented(
        "netlify",
        source="docs.netlify.com/site-deploys/deploy-notifications (Netlify's own deploy "
               "notifications)",
        known="a construction for its outgoing webhooks' signatures was found only in "
              "third-party sources, not in Netlify's own documentation"),
)


class UndocumentedScheme(Unpublished):
    """A provider listed by name whose scheme is not published: nothing here can sign as it or
    check its signatures."""

    def __init__(self, entry: Undocumented) -> None:
        self.entry = entry
        self.name = entry.name
        self.aliases = entry.aliases
        self.marker_headers: tuple[str, ...] = (entry.header,) if entry.header else ()
        self.signature_headers = self.marker_headers
        self.secret_hint = "none: it publishes no signature scheme"

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    def identify(self, delivery: Delivery) -> Identity:
        return Identity()

    def explanation(self) -> Verdict:
        """The verdict for any of its requests: what is known, and what to do instead."""
        entry = self.entry
        return verdict(entry.name, "unverified",
                       f"{entry.name} publishes no signature scheme ({entry.known}; read at "
                       f"{entry.source}), so nothing is guessed: find the construction with "
                       "`webhook-inspector verify discover` and pin it as a generic `hmac` "
                       "secret", header=entry.header)

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        header = self.entry.header
        if header is not None and header not in delivery.headers:
            return missing_header(self.name, header)
        return self.explanation()


def schemes() -> tuple[UndocumentedScheme, ...]:
    return tuple(UndocumentedScheme(entry) for entry in ENTRIES)


def unverifiable(scheme: object) -> Verdict | None:
    """For an undocumented provider, the verdict that says so; None for every other scheme."""
    return scheme.explanation() if isinstance(scheme, UndocumentedScheme) else None
