"""Rows whose headers mark their provider are detected by them, and label events and deliveries
as the documentation says; a row with a generic header name claims nobody's requests."""

from __future__ import annotations

from typing import Any

import pytest

from inspector.signatures import Delivery, Headers, Key, detect, get

from .vectors import case_id, delivery_of, load_vectors

# (provider, event, delivery id) as the documented headers or body fields give them.
LABELS = {
    "mongodb": ("alert.open", "5df90590f10fab5e33de2306"),
    "sonatype": ("rm:repository:asset", "7f4a6dde-5c68-4999-bcc0-a62f3fb8ae48"),
    "coinbase": ("charge:confirmed", "6f6d0f9c-2d8b-4d8e-9c0e-7a1c2f0e1a11"),
    "autodesk": ("dm.version.added", None),
    "docusign": ("envelope-completed", None),
    "hostedhooks": ("order.fulfilled", None),
    "signal-sciences": ("flag", None),
    "castle": ("$incident.confirmed", None),
    "clearbit": ("person", "custom-id"),
    "modern-treasury": (None, "whk_1"),
}
VALID = [case for case in load_vectors() if case["provider"] in LABELS
         and case["expect"] == "valid"]


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_detected_and_labelled(case: dict[str, Any]) -> None:
    delivery = delivery_of(case)
    found = detect(delivery)
    if case["provider"] == "modern-treasury":  # X-Signature and X-Webhook-ID are generic names
        assert found is None
    else:
        assert found is not None and found.name == case["provider"]
    scheme = get(case["provider"])
    assert scheme is not None
    identity = scheme.identify(delivery)
    assert (identity.event, identity.delivery_id) == LABELS[case["provider"]]


def test_a_generic_x_signature_request_is_not_taken_for_modern_treasury() -> None:
    delivery = Delivery("POST", "https://example.com/h", Headers([("X-Signature", "ab" * 32),
                                                                  ("X-Webhook-ID", "1")]), b"{}")
    assert detect(delivery) is None


def test_docusign_is_detected_by_its_first_numbered_header_only() -> None:
    scheme = get("docusign")
    assert scheme is not None and scheme.marker_headers == ("X-DocuSign-Signature-1",)
    stray = Delivery("POST", "https://example.com/h",
                     Headers([("X-DocuSign-Signature-101", "AAAA"),
                              ("X-DocuSign-Signature-1x", "AAAA")]), b"{}")
    assert scheme.verify(stray, Key("docusign-hmac-key"), 0).status == "missing"
