"""The signature test vectors the project carries (tests/signatures/vectors/*.json): facts
from the providers' documentation and SDKs, each case citing its source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inspector.signatures import Delivery, Headers

VECTORS = Path(__file__).resolve().parent / "vectors"
# signatures.json: the cases the project started with; the other files, the providers added since.
VECTOR_FILES = sorted(VECTORS.glob("*.json"))


def load_vectors() -> list[dict[str, Any]]:
    return [case for path in VECTOR_FILES for case in json.loads(path.read_text())]


def delivery_of(case: dict[str, Any]) -> Delivery:
    return Delivery(method=case["method"], url=case["url"],
                    headers=Headers(case["headers"].items()), body=case["body"].encode())


def case_id(case: dict[str, Any]) -> str:
    return f"{case['provider']}: {case['description']}"
