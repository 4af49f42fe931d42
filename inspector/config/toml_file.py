"""Reading the TOML file into Config fields, each error naming the file and the line of the
key at fault (the n-th `[[rules]]` entry's own line, not the first that holds the key)."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from .parsers import SCALARS, typed
from .tables import (
    RESPONSE_KEYS,
    check_keys,
    response_from_table,
    route_from_table,
    rule_from_table,
    schema_from_table,
    secret_from_table,
)
from .values import Config, ConfigError, ResponseSpec

_TOP_KEYS = {item.name for item in fields(Config)}


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
        check_keys(document, _TOP_KEYS, "", where)
        fields: dict[str, Any] = {key: parse(document[key], where(key))
                                  for key, parse in SCALARS.items() if key in document}
        if "response" in document:
            table = typed(document["response"], dict, where("response"))
            in_response = self.located.section("response")
            check_keys(table, RESPONSE_KEYS, " in [response]", in_response)
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
        items = typed(document.get(key, []), list, where(key))
        return [typed(item, dict, self.located.section(key, index)(key))
                for index, item in enumerate(items)]


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
