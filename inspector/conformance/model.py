"""The values conformance works with: a documented schema for one event, what a payload was
found to do against it, and the verdict. Pure values; no validator here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning", "info"]
Status = Literal["conforms", "deviates", "unknown_event", "no_schema", "not_json"]


@dataclass(frozen=True)
class Schema:
    """One event's payload as its provider documents it (JSON Schema 2020-12).

    `event` is the name analysis gives the request (GitHub's `issues.opened`, Stripe's
    `payment_intent.succeeded`); `conflicts` maps a JSON Pointer to what the provider's own
    documentation example does there, where it contradicts the provider's field table.
    """

    provider: str
    event: str
    document: dict[str, Any] = field(repr=False)
    source: str
    version: str | None = None
    conflicts: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        versioned = f"@{self.version}" if self.version else ""
        return f"{self.provider}/{self.event}{versioned}"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Schema:
        """A bundled schema file: {"provider", "event", "source", "version"?, "conflicts"?,
        "schema"}."""
        return cls(provider=data["provider"], event=data["event"], document=data["schema"],
                   source=data["source"], version=data.get("version"),
                   conflicts=tuple(sorted(data.get("conflicts", {}).items())))


class Finding(NamedTuple):
    path: str  # a JSON Pointer into the body
    keyword: str  # the JSON Schema keyword that failed (`type`, `required`, …)
    expected: str
    got: str  # the JSON type and the value cut to 60 characters, or "absent"
    severity: Severity
    note: str | None = None  # "the documentation's own example has this too"


class Conformance(NamedTuple):
    status: Status
    event: str | None
    schema: Schema | None
    findings: tuple[Finding, ...] = ()
