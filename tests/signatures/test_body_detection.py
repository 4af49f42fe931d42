"""Detection asks only the schemes that say `detects_by_body` about a request no marker header
claimed: every other scheme must never claim a request by its body, which this checks over
every vector and every scheme's own signed request."""

from __future__ import annotations

import pytest

from inspector.signatures import SCHEMES, Scheme

from .keys import signing_and_verifying_keys
from .test_contract import SIGNABLE, delivered, sign
from .vectors import delivery_of, load_vectors

QUIET = [scheme for scheme in SCHEMES if not getattr(scheme, "detects_by_body", False)]
DELIVERIES = [delivery_of(case) for case in load_vectors()] + [
    delivered(sign(scheme, signing_and_verifying_keys(scheme.name)[0])) for scheme in SIGNABLE]


@pytest.mark.parametrize("scheme", QUIET, ids=lambda scheme: scheme.name)
def test_a_scheme_that_does_not_say_so_never_claims_a_body(scheme: Scheme) -> None:
    assert not any(scheme.detect_body(delivery) for delivery in DELIVERIES)
