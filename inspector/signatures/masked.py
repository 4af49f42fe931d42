"""A masked value is not a signature: a HAR exported masked (the page's default) writes MASK in
place of every credential and signature header, and a request imported from it cannot be
checked. Every check of a signature goes through `check`, which says so, for every scheme alike,
instead of calling the masked value a mismatch."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Verdict
from ._api import Delivery, Key, Scheme

MASK = "(masked)"


def check(scheme: Scheme, delivery: Delivery, key: Key, now: float,
          explain: bool = True) -> Verdict:
    """The scheme's verdict, unless a header it read was masked: then `unverified`, saying so."""
    return unless_masked(scheme, delivery, scheme.verify(delivery, key, now, explain))


def unless_masked(scheme: Scheme, delivery: Delivery, found: Verdict) -> Verdict:
    """`found`, or `unverified` when a header the scheme read was masked."""
    if found.status == "valid":
        return found
    header = masked_header(delivery, (found.header, *scheme.signature_headers))
    if header is None:
        return found
    return Verdict(found.provider, "unverified",
                   f"{header} was masked when this request was exported: a masked signature "
                   "cannot be checked (export it unmasked to verify it)", header=header)


def masked_header(delivery: Delivery, names: Iterable[str | None]) -> str | None:
    """The first of these headers whose value is the export's mask."""
    for name in names:
        if name and delivery.headers.get(name) == MASK:
            return name
    return None
