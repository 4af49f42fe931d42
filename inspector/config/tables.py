"""The builders of one TOML table (or API body) each: `[response]`, `[[rules]]`,
`[[secrets]]`, `[[schemas]]`, `[[routes]]`; an error names `where(key)`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from ..signatures import GENERIC, OPTION_KEYS, get, names, options_error
from .parsers import (
    check_provider,
    optional_str,
    parse_status,
    parse_url,
    positive,
    resolve_secret,
    typed,
)
from .values import DROP, ConfigError, ResponseSpec, RouteSpec, Rule, SchemaSpec, SecretSpec

RESPONSE_KEYS = {item.name for item in fields(ResponseSpec)}
_RULE_KEYS = RESPONSE_KEYS | {item.name for item in fields(Rule)} - {"response"}
_ROUTE_KEYS = {item.name for item in fields(RouteSpec)} - {"where"}
_SCHEMA_KEYS = {item.name for item in fields(SchemaSpec)}
# A secret's own keys, then its options: the generic scheme's, and any a scheme takes (Meta's
# verify_token); which options a provider takes is checked per entry below.
_SECRET_KEYS = ({item.name for item in fields(SecretSpec)} - {"options"}) | set(OPTION_KEYS) \
    | {key for name in names() for key in getattr(get(name), "option_keys", ())}


def check_keys(table: Mapping[str, Any], allowed: Collection[str], context: str,
               where: Callable[[str], str]) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise ConfigError(f"{where(unknown[0])}: unknown key {unknown[0]!r}{context}")


def response_from_table(table: Mapping[str, Any], base: ResponseSpec,
                        where: Callable[[str], str] = lambda key: key) -> ResponseSpec:
    """A `[response]` table (or a rule's answer) over a base; errors name where."""
    spec = base
    if "status" in table:
        spec = replace(spec, status=parse_status(table["status"], where("status")))
    if "content_type" in table:
        spec = replace(spec, content_type=str(table["content_type"]))
    if "headers" in table:
        headers = typed(table["headers"], dict, where("headers"))
        spec = replace(spec, headers=tuple((str(k), str(v)) for k, v in headers.items()))
    if "body" in table:
        spec = replace(spec, body=None if table["body"] is None else str(table["body"]))
    if "delay_ms" in table:
        delay = typed(table["delay_ms"], int, where("delay_ms"))
        spec = replace(spec, delay_ms=max(0, delay))
    return spec


def rule_from_table(table: Mapping[str, Any],
                    where: Callable[[str], str] = lambda key: key) -> Rule:
    """A `[[rules]]` entry; errors name where."""
    check_keys(table, _RULE_KEYS | {"remaining"}, " in [[rules]]", where)
    action = table.get("action", "respond")
    if action not in ("respond", "close", "hang"):
        raise ConfigError(f"{where('action')}: action must be respond, close or hang")
    times = table.get("times")
    return Rule(
        path=optional_str(table.get("path")),
        method=optional_str(table.get("method")),
        times=None if times is None else positive(times, where("times")),
        action=action,
        response=response_from_table(table, ResponseSpec(body=""), where),
    )


def secret_from_table(table: Mapping[str, Any], environ: Mapping[str, str] | None,
                      known_providers: Collection[str],
                      where: Callable[[str], str] = lambda key: key) -> SecretSpec:
    """A `[[secrets]]` entry (from TOML or the API) as a SecretSpec; errors name where."""
    check_keys(table, _SECRET_KEYS, " in [[secrets]]", where)
    provider = str(table.get("provider", ""))
    check_provider(provider, known_providers, where("provider"))
    if not table.get("secret"):
        raise ConfigError(f"{where('provider')}: [[secrets]] entry for {provider} has no secret")
    paths = table.get("paths", [])
    options = {k: v for k, v in table.items() if k not in ("provider", "secret", "paths")}
    scheme = get(provider)
    if scheme is not None and scheme.name == GENERIC:
        error = options_error(options)
        if error:
            raise ConfigError(f"{where('provider')}: hmac secret: {error}")
    elif options and not set(options) <= set(getattr(scheme, "option_keys", ())):
        raise ConfigError(f"{where(sorted(options)[0])}: options are for provider = "
                          f"\"{GENERIC}\"")
    return SecretSpec(
        provider=provider,
        secret=resolve_secret(str(table["secret"]), environ, where("secret")),
        paths=tuple(str(p) for p in (paths if isinstance(paths, list) else [paths])),
        options=options,
    )


def schema_from_table(table: Mapping[str, Any], base: Path,
                      where: Callable[[str], str]) -> SchemaSpec:
    """A `[[schemas]]` entry; a relative path is the config file's neighbour."""
    check_keys(table, _SCHEMA_KEYS, " in [[schemas]]", where)
    if not isinstance(table.get("path"), str) or not table["path"]:
        raise ConfigError(f"{where('path')}: [[schemas]] entry has no path")
    for key in ("provider", "event"):
        typed(table.get(key, ""), str, where(key))
    return SchemaSpec(str(base / table["path"]), optional_str(table.get("provider")),
                      optional_str(table.get("event")))


def route_from_table(table: Mapping[str, Any], index: int,
                     where: Callable[[str], str] = lambda key: key) -> RouteSpec:
    """A `[[routes]]` entry; errors name where and which route."""
    check_keys(table, _ROUTE_KEYS, f" in [[routes]] #{index}", where)
    if "to" not in table:
        raise ConfigError(f"{where('match')}: route #{index} has no `to` (a URL or \"drop\")")
    to = typed(table["to"], str, where("to"))
    also = typed(table.get("also", []), list, where("also"))
    if to == DROP and table.get("hold"):
        raise ConfigError(f"{where('hold')}: route #{index} drops its requests: nothing to hold")
    return RouteSpec(match=typed(table.get("match", ""), str, where("match")),
                     to=to if to == DROP else parse_url(to, where("to")),
                     also=tuple(parse_url(typed(url, str, where("also")), where("also"))
                                for url in also),
                     hold=typed(table.get("hold", False), bool, where("hold")),
                     where=f"{where('match')}: route #{index}")
