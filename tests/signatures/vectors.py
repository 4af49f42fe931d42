"""The shared test vectors (../shared/vectors/signatures.json), found from the repository."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from inspector.signatures import Delivery, Headers

_CANDIDATES = [
    Path(os.environ.get("INSPECTOR_VECTORS", "/nonexistent")),
    Path(__file__).resolve().parents[3] / "shared" / "vectors" / "signatures.json",
    Path(__file__).resolve().parents[2] / "shared" / "vectors" / "signatures.json",
]


def vectors_path() -> Path:
    for candidate in _CANDIDATES:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("shared/vectors/signatures.json not found beside the repository; "
                            "set INSPECTOR_VECTORS")


def load_vectors() -> list[dict[str, Any]]:
    return list(json.loads(vectors_path().read_text()))


def delivery_of(case: dict[str, Any]) -> Delivery:
    return Delivery(method=case["method"], url=case["url"],
                    headers=Headers(case["headers"].items()), body=case["body"].encode())


def case_id(case: dict[str, Any]) -> str:
    return f"{case['provider']}: {case['description']}"
