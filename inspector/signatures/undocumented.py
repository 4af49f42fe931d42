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
    Sending,
    Signed,
    SignInput,
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
)


class UndocumentedScheme:
    """A provider listed by name whose scheme is not published: nothing here can sign as it or
    check its signatures."""

    sending = Sending(published=False)

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

    def sign(self, key: Key, message: SignInput) -> Signed:
        raise NotImplementedError(f"{self.name}'s signature scheme is not published")


def schemes() -> tuple[UndocumentedScheme, ...]:
    return tuple(UndocumentedScheme(entry) for entry in ENTRIES)


def unverifiable(scheme: object) -> Verdict | None:
    """For an undocumented provider, the verdict that says so; None for every other scheme."""
    return scheme.explanation() if isinstance(scheme, UndocumentedScheme) else None
