"""`discover`: every construction the generic scheme can express, tried against every header
and query value that looks like a signature; each match as a ready-to-paste [[secrets]]."""

from __future__ import annotations

import binascii
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ._api import Delivery, Key
from ._hmac import ALGORITHMS, ENCODINGS
from .generic import SECRET_ENCODINGS, GenericHmac

_NOT_SIGNATURES = {"host", "content-type", "content-length", "user-agent", "accept",
                   "accept-encoding", "connection", "date", "x-forwarded-for", "x-forwarded-proto",
                   "x-forwarded-host", "x-real-ip", "cookie", "authorization", "origin", "referer"}
_PREFIX = re.compile(r"^([A-Za-z0-9_-]{1,10}[=,:])(.+)$")
_HEX = re.compile(r"^[0-9a-fA-F]{32,128}$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]{22,90}={0,2}$")


@dataclass(frozen=True)
class Match:
    options: dict[str, Any]
    header: str

    def toml(self) -> str:
        lines = ["[[secrets]]", 'provider = "hmac"']
        lines += [f"{name} = {_toml_value(value)}" for name, value in self.options.items()]
        lines.append('secret = "env:YOUR_SECRET"   # the secret you tried, from the environment')
        return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def looks_like_signature(value: str) -> list[tuple[str, str]]:
    """(prefix, signature) readings of a value that could be an HMAC."""
    readings = [("", value)]
    match = _PREFIX.match(value)
    if match:
        readings.append((match.group(1), match.group(2)))
    return [(prefix, sig) for prefix, sig in readings
            if _HEX.match(sig) or _BASE64.match(sig)]


def _signature_places(delivery: Delivery) -> Iterator[tuple[dict[str, Any], str, str]]:
    for name, value in delivery.headers.items():
        if name in _NOT_SIGNATURES:
            continue
        for prefix, _ in looks_like_signature(value.strip()):
            yield {"header": name, "prefix": prefix} if prefix else {"header": name}, name, value
    for name, value in delivery.query_params:
        for prefix, _ in looks_like_signature(value):
            yield {"query": name, "prefix": prefix} if prefix else {"query": name}, f"?{name}", \
                value


def _templates(delivery: Delivery) -> Iterator[dict[str, Any]]:
    yield {"payload": "{body}"}
    for template in ("{url}", "{url}{body}", "{method}{url}{body}", "{path}", "{query}"):
        yield {"payload": template}
    names = list(delivery.headers.names())
    stamps = [n for n in names if ("time" in n or n.endswith("-ts") or n[-4:] == "date")
              and (delivery.headers.get(n) or "").strip().isdigit()]
    ids = [n for n in names if n.endswith("-id") or n.endswith("delivery")]
    for stamp in stamps:
        for template in ("{timestamp}.{body}", "{timestamp}{body}", "{timestamp}:{body}",
                         "v0:{timestamp}:{body}", "{body}{timestamp}", "{body}.{timestamp}"):
            yield {"payload": template, "timestamp_header": stamp}
        for id_header in ids:
            for template in ("{id}.{timestamp}.{body}", "{id}{timestamp}{body}"):
                yield {"payload": template, "timestamp_header": stamp, "id_header": id_header}


def discover(delivery: Delivery, secret: str) -> tuple[list[Match], int]:
    """Every generic construction that reproduces a signature on the request with this secret."""
    matches: list[Match] = []
    tried = 0
    places = list(_signature_places(delivery))
    for (place, label, _), template, algorithm, encoding, secret_encoding in itertools.product(
            places, list(_templates(delivery)), ALGORITHMS, ENCODINGS, SECRET_ENCODINGS):
        options = {**place, "algorithm": algorithm, "encoding": encoding, **template}
        if secret_encoding != "utf8":
            options["secret_encoding"] = secret_encoding
        tried += 1
        try:
            scheme = GenericHmac(options)
            if scheme.signature_matches(delivery, Key(secret, options)):
                matches.append(Match(options, label))
        except (binascii.Error, ValueError):
            continue
    return matches, tried
