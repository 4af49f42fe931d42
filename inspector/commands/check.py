"""`webhook-inspector check PROVIDER [EVENT] --body @FILE|TEXT`: the conformance verdict of a
payload, offline (SPEC 13); exit 0 when it conforms, 1 when not, 2 on bad input."""

from __future__ import annotations

import argparse
import json
from typing import TextIO
from urllib.parse import urlsplit

from ..bodies import decode_content
from ..config import ConfigError, SchemaSpec
from ..conformance.catalogue import Catalogue
from ..conformance.loading import catalogue_for
from ..conformance.model import Conformance
from ..conformance.verdict import judge
from ..serialize import conformance_json
from ..signatures import Delivery, get
from ..steps import finish
from .arguments import http_url
from .verify import parse_headers, read_body

VERSION_HEADERS = ("X-Shopify-API-Version",)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("provider", help="a provider name (see `webhook-inspector providers`)")
    parser.add_argument("event", nargs="?",
                        help="the event (default: the one the payload names)")
    parser.add_argument("--body", required=True, metavar="@FILE|TEXT")
    parser.add_argument("--header", action="append", metavar="'Name: value'",
                        help="a header of the delivery (Content-Type, a version header)")
    parser.add_argument("--url", default="http://localhost/", type=http_url,
                        help="the URL it was sent to (a signed link's query is its payload)")
    parser.add_argument("--schemas", action="append", metavar="PATH",
                        help="a JSON Schema file, winning over a bundled one (repeatable)")
    parser.add_argument("--json", action="store_true", help="the verdict as DETAIL's JSON")


def run(args: argparse.Namespace, out: TextIO) -> int:
    catalogue = catalogue_for(SchemaSpec(path) for path in args.schemas or [])
    headers = parse_headers(args.header or [])
    body = decoded(read_body(args.body), headers.get("Content-Encoding"))
    delivery = Delivery("POST", args.url, headers, body or b"", urlsplit(args.url).path or "/")
    scheme = get(args.provider)
    provider = scheme.name if scheme else args.provider
    if scheme is None and not catalogue.knows(provider):
        raise ConfigError(f"unknown provider {args.provider!r} (see `webhook-inspector "
                          "providers`)")
    event = args.event
    if event is None and scheme is not None:
        event = scheme.identify(delivery).event
    version = next((value for name in VERSION_HEADERS if (value := headers.get(name))), None)
    verdict = judge(catalogue, provider, event, body, headers.get("Content-Type"), version,
                    urlsplit(args.url).query)
    if args.json:
        print(json.dumps(conformance_json(verdict), indent=2), file=out)
    else:
        print(described(verdict, catalogue, provider), file=out)
    return 0 if verdict.status == "conforms" else 1


def decoded(body: bytes, content_encoding: str | None) -> bytes | None:
    """The body with its content codings undone (None: they could not be)."""
    found = finish(decode_content(body, content_encoding))
    if found is None:
        return body
    return None if found.error is not None else bytes(found.data)


def described(verdict: Conformance, catalogue: Catalogue, provider: str) -> str:
    """The status and schema on the first line, then one finding a line."""
    schema = verdict.schema
    head = f"{verdict.status}: {schema.name} ({schema.source})" if schema else \
        f"{verdict.status}: {provider} {verdict.event or '(no event named)'}"
    if verdict.status == "no_schema":
        head += " has no bundled schema (--schemas PATH adds one)"
    lines = [head]
    for finding in verdict.findings:
        line = f"  {finding.severity:<7} {finding.path or '/'}  {finding.keyword}: expected " \
               f"{finding.expected}, got {finding.got}"
        lines.append(line + (f"  ({finding.note})" if finding.note else ""))
    if verdict.status == "unknown_event" and catalogue.events(provider):
        lines.append(f"  documented: {', '.join(catalogue.events(provider))}")
    return "\n".join(lines)
