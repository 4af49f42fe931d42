"""The schemes made from rows of the declarative provider table (`table.py`): a `Row` says a
header, an algorithm, an encoding, a prefix and a payload template over the raw body; the HMAC
machinery, its diagnosis of mismatches and the contract tests come with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from ..models import Verdict
from ._api import (
    Delivery,
    EventHeaders,
    Handshake,
    Identity,
    Key,
    Sending,
    identity,
    iso_time,
    missing_header,
    text,
)
from ._hmac import HmacScheme, Received
from .handshakes import Answerer
from .keyed_headers import KeyedHeaderScheme

# How a row's timestamp is written: unix seconds, unix milliseconds, or ISO 8601.
TimestampFormat = Literal["seconds", "milliseconds", "iso8601"]


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
    timestamp_format: TimestampFormat = "seconds"
    separator: str | None = None  # several signatures in the header (key rotation)
    tolerance_s: float | None = None
    reject_future: bool = True  # False where the provider's own library rejects only old ones
    markers: tuple[str, ...] = ()  # further headers that only this provider sends
    # The signature header's name is generic (`X-Signature`) or another provider's too: it
    # marks no provider.
    shared_header: bool = False
    # With a shared header: the request is this provider's when its JSON body has this field.
    body_marker: str | None = None
    # DocuSign: one header per active key, `<header>-1` … `<header>-<numbered>`.
    numbered: int | None = None
    handshake: Answerer | None = None  # how it proves an endpoint before delivering
    # The headers `send` adds beside the signature, where event_header and id_header do not
    # say them all.
    sends: EventHeaders | None = None
    event_header: str | None = None  # sent by `send` too
    event_field: str | None = None  # else the event is this field of a JSON body (a.b: nested)
    id_header: str | None = None  # the delivery id: this header
    id_field: str | None = None  # else this field of a JSON body
    secret_hint: str = "the webhook signing secret"
    # ngrok's identifier and the brand's name, where they differ (SPEC section 9)
    aliases: tuple[str, ...] = ()


class _FromRow(HmacScheme):
    """What a row's scheme adds to the HMAC machinery: its settings, identity and event."""

    row: Row

    def configure(self, row: Row) -> None:
        self.row = row
        self.name = row.name
        self.aliases = row.aliases
        self.detects_by_body = row.body_marker is not None
        self.answers_handshakes = row.handshake is not None
        self.signature_header = f"{row.header}-1" if row.numbered else row.header
        own = () if row.shared_header else (self.signature_header,)
        self.marker_headers = (*own, *row.markers)
        self.timestamp_header = row.timestamp_header
        self.algorithm = row.algorithm
        self.encoding = row.encoding
        self.prefix = row.prefix
        self.template = row.template
        self.tolerance_s = row.tolerance_s
        self.reject_future = row.reject_future
        self.secret_hint = row.secret_hint
        if row.sends or row.event_header or row.id_header:
            self.sending = Sending(headers=row.sends or self.delivery_headers)

    def delivery_headers(self, event: str, delivery_id: str, now: float) -> list[tuple[str, str]]:
        """The event and delivery-id headers the provider sends beside its signature."""
        row = self.row
        named = ((row.event_header, event), (row.id_header, delivery_id))
        return [(header, value) for header, value in named if header]

    def signing_timestamp(self, now: float) -> str:
        written = self.row.timestamp_format
        if written == "iso8601":
            return iso_time(now)
        return str(int(now * 1000)) if written == "milliseconds" else super().signing_timestamp(now)

    def timestamp_seconds(self, received: Received, delivery: Delivery) -> float | None:
        stamp, written = received.parts.timestamp, self.row.timestamp_format
        if not stamp or written == "seconds":
            return super().timestamp_seconds(received, delivery)
        if written == "milliseconds":
            return float(stamp) / 1000
        moment = datetime.fromisoformat(stamp)  # a ValueError is reported as malformed
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()

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
            event = text(delivery.body_field(*row.event_field.split(".")))
        delivery_id = delivery.headers.get(row.id_header) if row.id_header else None
        if delivery_id is None and row.id_field:
            delivery_id = text(delivery.body_field(*row.id_field.split(".")))
        return identity(row.name, event, delivery_id)


class RowScheme(_FromRow):
    def __init__(self, row: Row) -> None:
        self.configure(row)

    def read(self, delivery: Delivery) -> Received | Verdict:
        """With a separator, every signature in the header may match (key rotation)."""
        if self.row.numbered:
            return self.read_numbered(delivery)
        received = super().read(delivery)
        separator = self.row.separator
        if separator is None or isinstance(received, Verdict):
            return received
        signatures = [item.strip().removeprefix(self.prefix)
                      for item in received.raw.split(separator) if item.strip()]
        return received._replace(signatures=signatures)

    def read_numbered(self, delivery: Delivery) -> Received | Verdict:
        """Every `<header>-<n>` header carries one signature (one per active key)."""
        stem, limit = self.row.header.lower() + "-", self.row.numbered or 0
        signatures = [value.strip() for name, value in delivery.headers.items()
                      if name.startswith(stem) and _index(name[len(stem):], limit)]
        if not signatures:
            return missing_header(self.name, self.signature_header)
        return Received(self.signature_header, signatures, signatures[0], self.parts(delivery))


def _index(suffix: str, limit: int) -> bool:
    """Whether a header-name suffix is a number from 1 to `limit`."""
    return 0 < len(suffix) <= 3 and suffix.isascii() and suffix.isdigit() and \
        1 <= int(suffix) <= limit


class KeyedRowScheme(_FromRow, KeyedHeaderScheme):
    def __init__(self, row: Row) -> None:
        self.configure(row)
        self.timestamp_key, self.signature_key = row.keyed or ("t", "v1")


def schemes(rows: tuple[Row, ...]) -> tuple[HmacScheme, ...]:
    return tuple(KeyedRowScheme(row) if row.keyed else RowScheme(row) for row in rows)
