"""Configuration: TOML file, then flags over it, validated once into frozen values.

Every error is a ConfigError whose message names the flag or the file:line at fault.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from .outbound import Upstream
from .signatures import GENERIC, get, options_error

DEFAULT_CONFIG_FILE = "inspector.toml"
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


_SIZE_UNITS = {"": 1, "b": 1, "kb": 1000, "kib": 1024, "mb": 1000**2, "mib": 1024**2,
               "gb": 1000**3, "gib": 1024**3}
_TOP_KEYS = {item.name for item in fields(Config)}
_SIZES = ("max_bytes", "max_body", "max_inflight")
_RESPONSE_KEYS = {item.name for item in fields(ResponseSpec)}
_RULE_KEYS = _RESPONSE_KEYS | {item.name for item in fields(Rule)} - {"response"}
_ROUTE_KEYS = {"match", "to", "also", "hold"}
_SECRET_KEYS = {"provider", "secret", "paths", "header", "query", "algorithm", "encoding",
                "prefix", "payload", "timestamp_header", "tolerance_s", "secret_encoding",
                "id_header", "verify_token"}


def parse_address(text: str, where: str) -> Address:
    """`[HOST:]PORT`, with `[v6]:PORT` for IPv6 hosts."""
    host, port_text = "127.0.0.1", text
    match = re.fullmatch(r"\[([^\]]+)\]:(\d+)|([^:\[\]]+):(\d+)|(\d+)", text.strip())
    if match is None:
        raise ConfigError(f"{where}: bad address {text!r} (expected [HOST:]PORT)")
    host = match.group(1) or match.group(3) or host
    port_text = match.group(2) or match.group(4) or match.group(5)
    port = int(port_text)
    if port > 65535:
        raise ConfigError(f"{where}: port {port} out of range 0-65535")
    return Address(host, port)


def parse_size(value: object, where: str) -> int:
    """Bytes from `10MiB`, `512KiB`, `1000` or an integer."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _SIZE_UNITS or not 0 < float(match.group(1)) < math.inf:
        raise ConfigError(f"{where}: bad size {value!r} (use e.g. 10MiB, 512KiB or bytes)")
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


def resolve_secret(value: str, environ: Mapping[str, str] | None, where: str) -> str:
    """`env:NAME` is read from `environ`; None where the environment is not to be read
    (the API: it would let any caller read the server's environment)."""
    if value.startswith("env:"):
        if environ is None:
            raise ConfigError(f"{where}: env: values are read only from the command line and "
                              "the config file")
        name = value[4:]
        if name not in environ:
            raise ConfigError(f"{where}: environment variable {name} is not set")
        return environ[name]
    if not value:
        raise ConfigError(f"{where}: the secret is empty")
    return value


def _typed(value: object, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}: expected {names}, got {value!r}")
    return value


class _Located:
    """Where each key of a TOML file stands: top-level keys before the first table, a
    `[name]` table's keys in its section, the n-th `[[name]]` entry's keys in its own."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([\w.-]+)\s*\]")

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self._sections: list[tuple[str, int]] = []  # (name, index of the header line)
        for number, line in enumerate(self.lines):
            header = self._HEADER.match(line)
            if header:
                self._sections.append((header.group(2), number))

    def section(self, name: str | None = None, nth: int = 0) -> Callable[[str], str]:
        """`where(key)` for the keys of one table (None: the top level)."""
        starts = [number for title, number in self._sections if title == name]
        if name is None:
            span = (0, self._sections[0][1] if self._sections else len(self.lines))
        elif nth < len(starts):
            after = [number for _, number in self._sections if number > starts[nth]]
            span = (starts[nth], after[0] if after else len(self.lines))
        else:
            return lambda key: str(self.path)
        return functools.partial(self._find, span)

    def _find(self, span: tuple[int, int], key: str) -> str:
        pattern = re.compile(rf"^\s*(\[\[?\s*)?{re.escape(key)}\s*(=|\])")
        for number in range(*span):
            if pattern.match(self.lines[number]):
                return f"{self.path}:{number + 1}"
        return f"{self.path}:{span[0] + 1}" if span[0] else str(self.path)


class _TomlReader:
    """Turns a parsed TOML document into Config fields, naming file:line in errors."""

    def __init__(self, path: Path, text: str, environ: Mapping[str, str],
                 known_providers: Collection[str]) -> None:
        self.located = _Located(path, text)
        self.environ = environ
        self.known_providers = known_providers

    def read(self, document: Mapping[str, Any]) -> dict[str, Any]:
        where = self.located.section()
        _check_keys(document, _TOP_KEYS, "", where)
        fields: dict[str, Any] = {key: parse(document[key], where(key))
                                  for key, parse in _SCALARS.items() if key in document}
        if "response" in document:
            table = _typed(document["response"], dict, where("response"))
            in_response = self.located.section("response")
            _check_keys(table, _RESPONSE_KEYS, " in [response]", in_response)
            fields["response"] = response_from_table(table, ResponseSpec(), in_response)
        fields["rules"] = tuple(
            rule_from_table(table, self.located.section("rules", index))
            for index, table in enumerate(self.tables(document, "rules")))
        fields["secrets"] = tuple(
            secret_from_table(table, self.environ, self.known_providers,
                              self.located.section("secrets", index))
            for index, table in enumerate(self.tables(document, "secrets")))
        fields["schemas"] = tuple(
            schema_from_table(table, self.located.path.parent,
                              self.located.section("schemas", index))
            for index, table in enumerate(self.tables(document, "schemas")))
        fields["routes"] = tuple(
            route_from_table(table, index, self.located.section("routes", index))
            for index, table in enumerate(self.tables(document, "routes")))
        return fields

    def tables(self, document: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
        where = self.located.section()
        items = _typed(document.get(key, []), list, where(key))
        return [_typed(item, dict, self.located.section(key, index)(key))
                for index, item in enumerate(items)]


def _check_keys(table: Mapping[str, Any], allowed: Collection[str], context: str,
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
        headers = _typed(table["headers"], dict, where("headers"))
        spec = replace(spec, headers=tuple((str(k), str(v)) for k, v in headers.items()))
    if "body" in table:
        spec = replace(spec, body=None if table["body"] is None else str(table["body"]))
    if "delay_ms" in table:
        delay = _typed(table["delay_ms"], int, where("delay_ms"))
        spec = replace(spec, delay_ms=max(0, delay))
    return spec


def rule_from_table(table: Mapping[str, Any],
                    where: Callable[[str], str] = lambda key: key) -> Rule:
    """A `[[rules]]` entry; errors name where."""
    _check_keys(table, _RULE_KEYS | {"remaining"}, " in [[rules]]", where)
    action = table.get("action", "respond")
    if action not in ("respond", "close", "hang"):
        raise ConfigError(f"{where('action')}: action must be respond, close or hang")
    times = table.get("times")
    return Rule(
        path=_optional_str(table.get("path")),
        method=_optional_str(table.get("method")),
        times=None if times is None else _positive(times, where("times")),
        action=action,
        response=response_from_table(table, ResponseSpec(body=""), where),
    )


def secret_from_table(table: Mapping[str, Any], environ: Mapping[str, str] | None,
                      known_providers: Collection[str],
                      where: Callable[[str], str] = lambda key: key) -> SecretSpec:
    """A `[[secrets]]` entry (from TOML or the API) as a SecretSpec; errors name where."""
    _check_keys(table, _SECRET_KEYS, " in [[secrets]]", where)
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
    _check_keys(table, ("path", "provider", "event"), " in [[schemas]]", where)
    if not isinstance(table.get("path"), str) or not table["path"]:
        raise ConfigError(f"{where('path')}: [[schemas]] entry has no path")
    for key in ("provider", "event"):
        _typed(table.get(key, ""), str, where(key))
    return SchemaSpec(str(base / table["path"]), _optional_str(table.get("provider")),
                      _optional_str(table.get("event")))
def route_from_table(table: Mapping[str, Any], index: int,
                     where: Callable[[str], str] = lambda key: key) -> RouteSpec:
    """A `[[routes]]` entry; errors name where and which route."""
    _check_keys(table, _ROUTE_KEYS, f" in [[routes]] #{index}", where)
    if "to" not in table:
        raise ConfigError(f"{where('match')}: route #{index} has no `to` (a URL or \"drop\")")
    to = _typed(table["to"], str, where("to"))
    also = _typed(table.get("also", []), list, where("also"))
    if to == DROP and table.get("hold"):
        raise ConfigError(f"{where('hold')}: route #{index} drops its requests: nothing to hold")
    return RouteSpec(match=_typed(table.get("match", ""), str, where("match")),
                     to=to if to == DROP else parse_url(to, where("to")),
                     also=tuple(parse_url(_typed(url, str, where("also")), where("also"))
                                for url in also),
                     hold=_typed(table.get("hold", False), bool, where("hold")),
                     where=f"{where('match')}: route #{index}")


def route_from_flag(value: str, index: int) -> RouteSpec:
    """`--route 'QUERY => URL'` (URL may be `drop`)."""
    query, arrow, to = value.rpartition("=>")
    where = f"--route {value!r}"
    if not arrow:
        raise ConfigError(f"{where}: expected 'QUERY => URL' (or 'QUERY => drop')")
    to = to.strip()
    return RouteSpec(query.strip(), to if to == DROP else parse_url(to, where),
                     where=f"{where} (route #{index})")


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _positive(value: object, where: str) -> int:
    number = _typed(value, int, where)
    if number <= 0:
        raise ConfigError(f"{where}: expected a positive integer, got {value!r}")
    return int(number)


def parse_status(value: object, where: str) -> int:
    try:
        status = int(str(value))
    except ValueError:
        status = 0
    if not 100 <= status <= 599:
        raise ConfigError(f"{where}: bad HTTP status {value!r} (100-599)")
    return status


def parse_store(value: object, where: str) -> str:
    """`memory`, `sqlite:PATH` or `redis://…` / `rediss://…` (SPEC 11)."""
    text = str(value)
    if text == "memory" or (text.startswith("sqlite:") and len(text) > len("sqlite:")):
        return text
    if re.match(r"^rediss?://", text):
        return text
    raise ConfigError(f"{where}: unknown store {text!r} (expected memory, sqlite:PATH or "
                      "redis://HOST:PORT/DB)")


def http_url_problem(text: str) -> str | None:
    """What makes `text` unusable as an absolute http(s) URL to send a request to (an other
    scheme, no host, a bad port or IPv6 literal, a control character); None when usable."""
    if not re.match(r"^https?://[^/\s]+", text) or not text.isprintable():
        return "expected http(s)://host[:port][/path]"
    try:
        Upstream.parse(text)
    except ValueError as error:
        return f"{str(error)[:80]}; expected http(s)://host[:port][/path]"
    return None


def parse_url(value: object, where: str) -> str:
    text = str(value)
    if (problem := http_url_problem(text)) is not None:
        raise ConfigError(f"{where}: bad URL {text!r} ({problem})")
    return text.rstrip("/")


def check_provider(name: str, known: Collection[str], where: str) -> None:
    if name not in known:
        raise ConfigError(f"{where}: unknown provider {name!r} (see `webhook-inspector providers`)")


def read_file(path: Path, environ: Mapping[str, str],
              known_providers: Collection[str]) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read config: {error}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        place = f"{path}:{line.group(1)}" if line else str(path)
        raise ConfigError(f"{place}: invalid TOML: {error}") from None
    return _TomlReader(path, text, environ, known_providers).read(document)


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
    for key, parse in _SCALARS.items():
        if flags.get(key) is not None:
            fields[key] = parse(flags[key], "--" + key.replace("_", "-"))


MIN_UI_TOKEN = 16


def ui_token(value: object, where: str) -> str:
    """A token short enough to guess protects nothing."""
    token: str = _typed(value, str, where)
    if len(token) < MIN_UI_TOKEN:
        raise ConfigError(f"{where}: the token must be at least {MIN_UI_TOKEN} characters "
                          f"(it has {len(token)})")
    return token


def _address(value: object, where: str) -> Address:
    return parse_address(str(value), where)


def seconds(value: object, where: str, above_zero: bool = False) -> float:
    """A finite number of seconds, not negative (nor 0 with `above_zero`): NaN and infinity
    would reach round(), timers and timeouts."""
    number = float(_typed(value, (int, float), where))
    if not math.isfinite(number) or number < 0 or (above_zero and number == 0):
        least = "above 0" if above_zero else "0 or more"
        raise ConfigError(f"{where}: expected a finite number of seconds, {least}; got {value!r}")
    return number


def _timeout(value: object, where: str) -> float:
    return seconds(value, where, above_zero=True)


# Top-level settings that are one value each, read alike from the file and from flags.
_SCALARS: dict[str, Callable[[Any, str], Any]] = {
    "hook": _address, "ui": _address, "max_bytes": parse_size, "max_body": parse_size,
    "max_inflight": parse_size, "store": parse_store, "max_requests": _positive,
    "forward": parse_url, "forward_timeout": _timeout, "ui_token": ui_token,
    "max_held": _positive,
}


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
