"""`load`: the config file, then the flags over it, into one Config checked for exposure."""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .parsers import SCALARS, check_provider, parse_status, parse_url, resolve_secret, seconds
from .toml_file import read_file
from .values import DROP, Config, ConfigError, ResponseSpec, RouteSpec, SchemaSpec, SecretSpec

DEFAULT_CONFIG_FILE = "inspector.toml"


def route_from_flag(value: str, index: int) -> RouteSpec:
    """`--route 'QUERY => URL'` (URL may be `drop`)."""
    query, arrow, to = value.rpartition("=>")
    where = f"--route {value!r}"
    if not arrow:
        raise ConfigError(f"{where}: expected 'QUERY => URL' (or 'QUERY => drop')")
    to = to.strip()
    return RouteSpec(query.strip(), to if to == DROP else parse_url(to, where),
                     where=f"{where} (route #{index})")


def find_config_file(explicit: str | None, cwd: Path) -> Path | None:
    if explicit is not None:
        return Path(explicit)
    default = cwd / DEFAULT_CONFIG_FILE
    return default if default.is_file() else None


def _response_from_flags(base: ResponseSpec, flags: Mapping[str, Any]) -> ResponseSpec:
    spec = base
    if flags.get("status") is not None:
        spec = replace(spec, status=parse_status(flags["status"], "--status"))
    if flags.get("response_body") is not None:
        spec = replace(spec, body=flags["response_body"])
    if flags.get("delay") is not None:
        spec = replace(spec, delay_ms=round(seconds(flags["delay"], "--delay") * 1000))
    return spec


def _secrets_from_flags(values: list[str], environ: Mapping[str, str],
                        known_providers: Collection[str]) -> tuple[SecretSpec, ...]:
    secrets = []
    for value in values:
        provider, sep, secret = value.partition("=")
        if not sep:
            raise ConfigError(f"--secret: expected PROVIDER=VALUE, got {value!r}")
        check_provider(provider, known_providers, "--secret")
        secrets.append(SecretSpec(provider, resolve_secret(secret, environ, "--secret")))
    return tuple(secrets)


def load(flags: Mapping[str, Any], environ: Mapping[str, str], cwd: Path,
         known_providers: Collection[str]) -> Config:
    """The config file (`--config`, else ./inspector.toml when present), then flags over it."""
    path = find_config_file(flags.get("config"), cwd)
    fields = read_file(path, environ, known_providers) if path else {}
    _listener_flags(fields, flags)
    fields["response"] = _response_from_flags(fields.get("response", ResponseSpec()), flags)
    extra = _secrets_from_flags(flags.get("secret") or [], environ, known_providers)
    fields["secrets"] = fields.get("secrets", ()) + extra
    fields["schemas"] = fields.get("schemas", ()) + tuple(
        SchemaSpec(path) for path in flags.get("schemas") or [])
    routes = fields.get("routes", ())
    fields["routes"] = routes + tuple(route_from_flag(value, len(routes) + n)
                                      for n, value in enumerate(flags.get("route") or []))
    return exposure_checked(Config(**fields))


def _listener_flags(fields: dict[str, Any], flags: Mapping[str, Any]) -> None:
    for key, parse in SCALARS.items():
        if flags.get(key) is not None:
            fields[key] = parse(flags[key], "--" + key.replace("_", "-"))


def exposure_checked(config: Config) -> Config:
    if not is_loopback(config.ui.host) and not config.ui_token:
        raise ConfigError(f"--ui {config.ui.host}:{config.ui.port}: a non-loopback address "
                          "exposes the captured requests; add --ui-token TOKEN")
    return config


def is_loopback(host: str) -> bool:
    """localhost, or an address in 127.0.0.0/8 or ::1 (a name like 127.example.com is not)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
