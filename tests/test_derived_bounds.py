"""`verdicts_of` hands on a lone `HeaderShown` without calling `bounded_verdict`: a verdict of
that class is within the bounds by construction (its reason and header are its scheme's, its
shown values cut by `short`), so the general path would return it as it is. This holds it for
every scheme the keyed shortcut covers, with any signature header a sender may send that
still verifies."""

from __future__ import annotations

import hmac

import pytest

from inspector.derived import MAX_DERIVED, MAX_REASON, bounded_verdict
from inspector.models import HeaderShown, Verdict
from inspector.signatures import SCHEMES, Delivery, Headers, Key
from inspector.signatures._hmac import HmacScheme, encode
from inspector.signatures.keyed import covers, raw_body_check

COVERED = [scheme for scheme in SCHEMES if isinstance(scheme, HmacScheme) and covers(scheme)]
BODIES = [b"", b"{}", b'{"action": "opened"}' * 500, bytes(range(256)) * 40]
PADDINGS = [("", ""), (" ", ""), ("", "\t"), (" " * 3000, " " * 3000)]


def within_bounds(verdict: HeaderShown) -> bool:
    """The general path's test (`bounded_verdict` for any other verdict)."""
    return len(verdict.reason) <= MAX_REASON and max(
        len(verdict.header or ""), len(verdict.received or ""),
        len(verdict.expected or "")) <= MAX_DERIVED


def test_the_shortcut_covers_schemes() -> None:
    assert any(scheme.name == "github" for scheme in COVERED)
    assert len(COVERED) >= 5


@pytest.mark.parametrize("scheme", COVERED, ids=lambda scheme: scheme.name)
def test_a_valid_shortcut_verdict_is_within_the_bounds(scheme: HmacScheme) -> None:
    key = Key("s" * 300)
    check = raw_body_check(scheme, key)
    assert check is not None
    for body in BODIES:
        digest = hmac.new(scheme.key_bytes(key), body, scheme.algorithm).digest()
        signature = scheme.prefix + encode(digest, scheme.encoding)
        for before, after in PADDINGS:
            headers = Headers([(scheme.signature_header, before + signature + after)])
            verdict = check(Delivery("POST", None, headers, body, "/"), False)
            assert type(verdict) is HeaderShown and verdict.status == "valid"
            assert within_bounds(verdict)
            assert bounded_verdict(verdict) is verdict


def test_other_verdicts_are_still_cut() -> None:
    verdict = Verdict("github", "invalid", "r" * (MAX_REASON + 1), "X-Hub-Signature-256",
                      "a" * 300, "b", None)
    cut = bounded_verdict(verdict)
    assert len(cut.reason) == MAX_REASON and len(cut.received or "") == MAX_DERIVED
