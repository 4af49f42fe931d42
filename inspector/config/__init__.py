"""Configuration: TOML file, then flags over it, validated once into frozen values.

Every error is a ConfigError whose message names the flag or the file:line at fault. The rooms:
`values` (the frozen dataclasses), `parsers` (one setting's value), `tables` (one TOML table),
`toml_file` (the file, with each key's own line), `loading` (`load`: the file, then the flags).
"""

from .loading import find_config_file, is_loopback, load
from .parsers import http_url_problem, parse_address, parse_size, resolve_secret, seconds
from .tables import response_from_table, rule_from_table, secret_from_table
from .values import (
    DROP,
    Action,
    Address,
    Config,
    ConfigError,
    ResponseSpec,
    RouteSpec,
    Rule,
    SchemaSpec,
    SecretSpec,
)

__all__ = [
    "DROP",
    "Action",
    "Address",
    "Config",
    "ConfigError",
    "ResponseSpec",
    "RouteSpec",
    "Rule",
    "SchemaSpec",
    "SecretSpec",
    "find_config_file",
    "http_url_problem",
    "is_loopback",
    "load",
    "parse_address",
    "parse_size",
    "resolve_secret",
    "response_from_table",
    "rule_from_table",
    "seconds",
    "secret_from_table",
]
