"""`discover`: the constructions the generic scheme can express (algorithm, encoding, prefix,
payload template, secret encoding), tried against every header and query value that looks like a
signature; each match as a ready-to-paste [[secrets]].

Its cost is bounded whatever the request carries. Each HMAC is computed once and looked up
among every signature on the request at once (by its hex and its base64 form), so more places
cost nothing more; payloads come likeliest first (the body; timestamps and ids whose headers
are named like a signature's, `bondio-timestamp` beside `bondio-signature`; the URL) and the
search stops at a budget of HMACs and of bytes hashed, saying how many constructions it left
untried."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from ._api import Delivery, Key
from ._hmac import ALGORITHMS, ENCODINGS, Parts, encode, fill, hmac_digest
from .generic import SECRET_ENCODINGS, GenericHmac, url_without

# The budget of one discovery: enough for every construction on a request with a handful of
# timestamp and id headers; a request carrying more is searched likeliest first, then cut.
MAX_DIGESTS = 2048
MAX_HASHED_BYTES = 256 * 1024 * 1024
# Signatures in the query are tried with URL payloads (the URL without that parameter) for the
# first few parameters only: each needs its own URL.
MAX_QUERY_URLS = 8

_NOT_SIGNATURES = {"host", "content-type", "content-length", "user-agent", "accept",
                   "accept-encoding", "connection", "date", "x-forwarded-for", "x-forwarded-proto",
                   "x-forwarded-host", "x-real-ip", "cookie", "authorization", "origin", "referer"}
_PREFIX = re.compile(r"^([A-Za-z0-9_-]{1,10}[=,:])(.+)$")
_HEX = re.compile(r"^[0-9a-fA-F]{32,128}$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]{22,90}={0,2}$")
# What discovery reads as a signature, in words.
LOOKS_LIKE_AN_HMAC = "hex, or base64, of 16 to 64 bytes, after an optional short prefix"
# Hex too short for a whole HMAC but long enough to be a cut one (8 bytes or more).
_SHORT_HEX = re.compile(r"^[0-9a-fA-F]{16,31}$")
_URL_TEMPLATES = ("{url}", "{url}{body}", "{method}{url}{body}", "{path}", "{query}")
_STAMP_TEMPLATES = ("{timestamp}.{body}", "{timestamp}{body}", "{timestamp}:{body}",
                    "v0:{timestamp}:{body}", "{body}{timestamp}", "{body}.{timestamp}")
_ID_TEMPLATES = ("{id}.{timestamp}.{body}", "{id}{timestamp}{body}")


@dataclass(frozen=True)
class Match:
    options: dict[str, Any]
    header: str

    def toml(self) -> str:
        lines = ["[[secrets]]", 'provider = "hmac"']
        lines += [f"{name} = {_toml_value(value)}" for name, value in self.options.items()]
        lines.append('secret = "env:YOUR_SECRET"   # the secret you tried, from the environment')
        return "\n".join(lines)


class Discovery(NamedTuple):
    matches: list[Match]
    tried: int
    # Constructions left untried (the budget ran out, or enough matched): 0 when the search
    # was whole.
    untried: int

    def summary(self) -> str:
        """What was found and tried, in words (never "0 tried": it says why nothing was)."""
        if not self.tried:
            if self.untried:
                return ("nothing was tried: the request is too large for discovery's budget "
                        f"({self.untried:,} constructions left untried)")
            return ("nothing was tried: no header or query value looks like an HMAC discovery "
                    f"can reproduce ({LOOKS_LIKE_AN_HMAC})")
        cut = f"; its budget ran out, {self.untried:,} more not tried (the likeliest go first)" \
            if self.untried else ""
        return f"{len(self.matches)} construction(s) matched of {self.tried:,} tried{cut}"


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


def unreadable(value: str) -> str:
    """Why discovery tries nothing with this value, as the end of a sentence about it."""
    match = _PREFIX.match(value.strip())
    for candidate in [value.strip()] + ([match.group(2)] if match else []):
        if _SHORT_HEX.match(candidate):
            digits = len(candidate)
            return (f"is {digits} hex digits ({digits // 2} bytes): shorter than a whole HMAC "
                    "(SHA-1 20 bytes, SHA-256 32, SHA-512 64), perhaps a truncated one, which "
                    "discovery does not try (it compares whole HMACs)")
    return f"does not look like an HMAC discovery can reproduce ({LOOKS_LIKE_AN_HMAC})"


class _Reading(NamedTuple):
    place: dict[str, Any]  # {"header": name} or {"query": name}, and "prefix" when read with one
    label: str  # the place as a match names it: the header's name, or ?name
    signature: str
    query: str | None  # the query parameter it is in (a signed URL is signed without it)


def _readings(delivery: Delivery, only: str | None) -> list[_Reading]:
    """Every reading of every place that looks like a signature (the first value of a repeated
    name, as verification reads it); `only`: of that place alone (a header, or ?name)."""
    found: list[_Reading] = []
    for name in delivery.headers.names():
        if name not in _NOT_SIGNATURES and only in (None, name):
            value = (delivery.headers.get(name) or "").strip()
            found += [_Reading(_place("header", name, prefix), name, signature, None)
                      for prefix, signature in looks_like_signature(value)]
    seen: set[str] = set()
    for name, value in delivery.query_params:
        if name not in seen and only in (None, f"?{name}"):
            seen.add(name)
            found += [_Reading(_place("query", name, prefix), f"?{name}", signature, name)
                      for prefix, signature in looks_like_signature(value)]
    return found


def _place(kind: str, name: str, prefix: str) -> dict[str, Any]:
    return {kind: name, "prefix": prefix} if prefix else {kind: name}


def _family(name: str) -> str:
    """`bondio` of bondio-signature and of x-bondio-timestamp: headers sent together."""
    return name.removeprefix("x-").split("-", 1)[0]


def _timestamps_and_ids(delivery: Delivery, families: set[str]) -> tuple[list[str], list[str]]:
    """Headers that may be a signed timestamp or id, those of a signature's family first."""
    names = list(delivery.headers.names())
    stamps = [n for n in names if ("time" in n or n.endswith("-ts") or n[-4:] == "date")
              and (delivery.headers.get(n) or "").strip().isdigit()]
    ids = [n for n in names if n.endswith("-id") or n.endswith("delivery")]
    return (sorted(stamps, key=lambda n: _family(n) not in families),
            sorted(ids, key=lambda n: _family(n) not in families))


def _templates(stamps: list[str], ids: list[str]) -> Iterator[dict[str, Any]]:
    """Likeliest first: the body alone; with the likeliest timestamp; the URL's; with the other
    timestamps; then id and timestamp together, the likeliest pairs first."""
    yield {"payload": "{body}"}
    for stamp in stamps[:1]:
        yield from ({"payload": t, "timestamp_header": stamp} for t in _STAMP_TEMPLATES)
    yield from ({"payload": template} for template in _URL_TEMPLATES)
    for stamp in stamps[1:]:
        yield from ({"payload": t, "timestamp_header": stamp} for t in _STAMP_TEMPLATES)
    for stamp, id_header in _pairs(stamps, ids):
        yield from ({"payload": t, "timestamp_header": stamp, "id_header": id_header}
                    for t in _ID_TEMPLATES)


def _template_count(stamps: int, ids: int) -> int:
    return 1 + len(_URL_TEMPLATES) + stamps * (len(_STAMP_TEMPLATES) + ids * len(_ID_TEMPLATES))


def _pairs(first: list[str], second: list[str]) -> Iterator[tuple[str, str]]:
    """Every pair, by the sum of the two ranks: the likeliest pairs first, lazily."""
    for total in range(len(first) + len(second) - 1):
        for index in range(max(0, total - len(second) + 1), min(total, len(first) - 1) + 1):
            yield first[index], second[total - index]


def _keys(secret: str) -> list[tuple[str, bytes | None]]:
    """The secret as each secret encoding reads it; None where it cannot (those constructions
    are tried, and fail, at no cost)."""
    keys: list[tuple[str, bytes | None]] = []
    for secret_encoding in SECRET_ENCODINGS:
        try:
            key = GenericHmac({"secret_encoding": secret_encoding}).key_bytes(Key(secret))
        except ValueError:  # binascii.Error and UnicodeEncodeError are ValueErrors
            key = None
        keys.append((secret_encoding, key))
    return keys


Table = dict[str, list[_Reading]]  # signature → the readings that carry it


class _Search:
    """One discovery's state: what matched, how much was tried, what the budget has left."""

    def __init__(self, delivery: Delivery, keys: list[tuple[str, bytes | None]],
                 readings: list[_Reading], enough: int | None) -> None:
        self.delivery = delivery
        self.enough = enough
        self.keys = keys
        self.matches: list[Match] = []
        self.tried = 0
        self.digests_left = MAX_DIGESTS
        self.bytes_left = MAX_HASHED_BYTES
        self.every = (_table(readings), len(readings))
        self.by_url = _url_tables(delivery, readings)

    def run(self, templates: Iterator[dict[str, Any]]) -> None:
        for template in templates:
            signs_url = any(f in template["payload"] for f in ("{url}", "{path}", "{query}"))
            for url, (table, size) in self.by_url if signs_url else [("", self.every)]:
                if not self.compare(template, self.payload(template, url), table, size):
                    return

    def payload(self, template: dict[str, Any], url: str) -> bytes:
        headers = self.delivery.headers
        stamp, id_header = template.get("timestamp_header"), template.get("id_header")
        return fill(template["payload"], Parts(
            body=self.delivery.body, timestamp=(headers.get(stamp) if stamp else "") or "",
            id=(headers.get(id_header) if id_header else "") or "", url=url,
            method=self.delivery.method))

    def compare(self, template: dict[str, Any], payload: bytes, table: Table, size: int) -> bool:
        """Every HMAC of the payload against the signatures in `table`; False once the budget
        is spent."""
        for secret_encoding, key in self.keys:
            for algorithm in ALGORITHMS:
                if key is None:
                    self.tried += size * len(ENCODINGS)
                    continue
                if self.digests_left == 0 or self.bytes_left < len(payload) or \
                        len(self.matches) == self.enough:
                    return False
                self.digests_left -= 1
                self.bytes_left -= len(payload)
                digest = hmac_digest(key, payload, algorithm)
                for encoding in ENCODINGS:
                    for reading in table.get(encode(digest, encoding), ()):
                        self.matches.append(Match(_options(
                            reading, algorithm, encoding, template, secret_encoding),
                            reading.label))
                self.tried += size * len(ENCODINGS)
        return True


def _table(readings: list[_Reading]) -> Table:
    table: Table = {}
    for reading in readings:
        table.setdefault(reading.signature, []).append(reading)
    return table


def _url_tables(delivery: Delivery, readings: list[_Reading]) -> list[tuple[str, tuple[Table,
                                                                                    int]]]:
    """For URL payloads: the URL signed with each place, and the readings found there (a query
    signature's URL is without its parameter), for the headers and the first query places."""
    groups: dict[str | None, list[_Reading]] = {}
    for reading in readings:
        if reading.query in groups or reading.query is None or \
                sum(query is not None for query in groups) < MAX_QUERY_URLS:
            groups.setdefault(reading.query, []).append(reading)
    params = delivery.query_params if any(query is not None for query in groups) else []
    return [(delivery.url if query is None else url_without(delivery.url, params, query),
             (_table(group), len(group))) for query, group in groups.items()]


def _options(reading: _Reading, algorithm: str, encoding: str, template: dict[str, Any],
             secret_encoding: str) -> dict[str, Any]:
    options = {**reading.place, "algorithm": algorithm, "encoding": encoding, **template}
    if secret_encoding != "utf8":
        options["secret_encoding"] = secret_encoding
    return options


def discover(delivery: Delivery, secret: str, only: str | None = None,
             enough: int | None = None) -> Discovery:
    """The generic constructions that reproduce a signature on the request with this secret,
    within the budget; `only`: a signature at that place (a header's name, or ?name); `enough`:
    stop after that many matches."""
    readings = _readings(delivery, only)
    if not readings:
        return Discovery([], 0, 0)
    stamps, ids = _timestamps_and_ids(delivery, {_family(r.label) for r in readings})
    keys = _keys(secret)
    search = _Search(delivery, keys, readings, enough)
    search.run(_templates(stamps, ids))
    total = _template_count(len(stamps), len(ids)) * len(readings) * len(ENCODINGS) * \
        len(ALGORITHMS) * len(keys)
    return Discovery(search.matches, search.tried, total - search.tried)
