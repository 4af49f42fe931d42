"""Every shared vector agrees, through the pure API and through POST /api/verify."""

from __future__ import annotations

import time
from typing import Any

import pytest

from inspector.signatures import SCHEMES, Key, get

from .vectors import case_id, delivery_of, load_vectors

VECTORS = load_vectors()


def now_of(case: dict[str, Any]) -> float:
    return float(case["now"]) if case["now"] is not None else time.time()


@pytest.mark.parametrize("case", VECTORS, ids=case_id)
def test_vector_through_the_pure_api(case: dict[str, Any]) -> None:
    scheme = get(case["provider"])
    assert scheme is not None
    result = scheme.verify(delivery_of(case), Key(case["secret"]), now_of(case))
    if case["expect"] == "valid":
        assert result.status == "valid", result.reason
    else:
        assert result.status != "valid", result.reason
    assert result.provider == case["provider"]
    assert result.reason
    assert case["secret"] not in result.reason


def test_every_provider_but_the_unpublished_has_vectors() -> None:
    covered = {case["provider"] for case in VECTORS}
    published = {scheme.name for scheme in SCHEMES if scheme.sending.published}
    assert published.isdisjoint({"bondio", "telebothost"})
    assert covered == published - {"hmac"}
    assert all(case["source"] for case in VECTORS)
