"""The parsed query: frozen values, built once by `parse` and read by every engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Comparison = Literal["=", ">", ">=", "<", "<="]


@dataclass(frozen=True, slots=True)
class Bound:
    """A point on an ordered scale with the width of its precision: `5xx` is 500 wide 100,
    `2026-11-22` is a day wide, `10kb` is exact (0). A relative time counts seconds back
    from the `now` the query is evaluated at."""

    value: float
    span: float = 0.0
    before_now: bool = False

    def start(self, now: float) -> float:
        return now - self.value if self.before_now else self.value


# ---- how a value is matched ----

@dataclass(frozen=True, slots=True)
class Contains:
    """A substring, ASCII case-insensitive."""
    text: str


@dataclass(frozen=True, slots=True)
class Exact:
    """The whole value, ASCII case-insensitive."""
    text: str


@dataclass(frozen=True, slots=True)
class Glob:
    """The whole value, `*` for any run of characters, ASCII case-insensitive."""
    pattern: str


@dataclass(frozen=True, slots=True)
class Regex:
    """Found anywhere in the value, case-sensitive (RE2: linear in the text)."""
    pattern: str


@dataclass(frozen=True, slots=True)
class Compare:
    """An ordered value against a bound; `=` means within the bound's span."""
    op: Comparison
    bound: Bound


@dataclass(frozen=True, slots=True)
class Between:
    """From `low` to `high`, both included (with their spans)."""
    low: Bound
    high: Bound


Match = Contains | Exact | Glob | Regex | Compare | Between


# ---- the tree ----

@dataclass(frozen=True, slots=True)
class Term:
    """`field[.name]:value`; a bare word or phrase has field None."""
    field: str | None
    name: str | None
    match: Match


@dataclass(frozen=True, slots=True)
class Presence:
    """`has:F` (present) or `missing:F`: F has a non-empty value."""
    field: str
    name: str | None
    present: bool


@dataclass(frozen=True, slots=True)
class Not:
    part: Node


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Everything:
    """The empty query."""


Node = Term | Presence | Not | And | Or | Everything
