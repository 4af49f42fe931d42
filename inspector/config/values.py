"""The frozen configuration values; nothing here reads a file, a flag or the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["respond", "close", "hang"]


class ConfigError(Exception):
    """A bad flag or config value; the message names where."""


@dataclass(frozen=True)
class Address:
    host: str
    port: int


@dataclass(frozen=True)
class ResponseSpec:
    """The hooks listener's answer. body None means the default `{"ok": true, "id": N}`."""

    status: int = 200
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    delay_ms: int = 0


@dataclass(frozen=True)
class Rule:
    path: str | None = None
    method: str | None = None
    times: int | None = None
    action: Action = "respond"
    response: ResponseSpec = field(default_factory=lambda: ResponseSpec(body=""))


@dataclass(frozen=True)
class SecretSpec:
    provider: str
    secret: str
    paths: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)


DROP = "drop"  # a route's `to` that forwards nothing


@dataclass(frozen=True)
class RouteSpec:
    """A `[[routes]]` entry or a `--route`: the requests its match finds go to `to` (or are
    dropped), the same bytes to each mirror in `also`; `hold` keeps them while `to` is down."""

    match: str
    to: str
    also: tuple[str, ...] = ()
    hold: bool = False
    where: str = field(default="", compare=False)  # named when its match does not parse


@dataclass(frozen=True)
class SchemaSpec:
    """A user's schema file (`--schemas PATH`, `[[schemas]]`) and what it documents."""

    path: str
    provider: str | None = None
    event: str | None = None


@dataclass(frozen=True)
class Config:
    hook: Address = Address("127.0.0.1", 9000)
    ui: Address = Address("127.0.0.1", 9001)
    forward: str | None = None
    forward_timeout: float = 10.0
    max_requests: int = 1000
    max_bytes: int = 256 * 1024 * 1024
    max_body: int = 10 * 1024 * 1024
    max_inflight: int = 64 * 1024 * 1024
    store: str = "memory"
    response: ResponseSpec = ResponseSpec()
    rules: tuple[Rule, ...] = ()
    secrets: tuple[SecretSpec, ...] = ()
    ui_token: str | None = None
    schemas: tuple[SchemaSpec, ...] = ()
    routes: tuple[RouteSpec, ...] = ()
    max_held: int = 1000

    @property
    def all_routes(self) -> tuple[RouteSpec, ...]:
        """The routes in the order they are checked: `--forward` is the catch-all, last."""
        if self.forward is None:
            return self.routes
        return (*self.routes, RouteSpec("", self.forward, where="--forward"))
