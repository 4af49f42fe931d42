"""The fields of the query language (SPEC 12): what kind of value each takes, with an
example each (the UI's help lists them from here, through the API)."""

from __future__ import annotations

from typing import Literal, NamedTuple

Kind = Literal["text", "name", "json", "bool", "number", "size", "status", "time"]


class Field(NamedTuple):
    kind: Kind
    named: bool  # written field.NAME
    example: str
    help: str


FIELDS: dict[str, Field] = {
    "method": Field("name", False, "method:POST", "the request method, exactly"),
    "path": Field("text", False, "path:/webhooks/*", "the path"),
    "url": Field("text", False, "url:ngrok", "the public URL (tunnel headers included)"),
    "host": Field("text", False, "host:abc.ngrok.app", "the host the sender addressed"),
    "ip": Field("text", False, "ip:10.0.0.7", "the sender's address (and X-Forwarded-For)"),
    "ct": Field("text", False, "ct:json", "the Content-Type"),
    "header": Field("text", True, "header.user-agent:Stripe", "a header (any case)"),
    "query": Field("text", True, "query.command:start", "a query parameter"),
    "form": Field("text", True, "form.From:+1555",
                  "a form field: of a urlencoded body, or a multipart one's (not its files)"),
    "json": Field("json", True, "json.data.object.amount:>1000",
                  "a value inside a JSON body, decoded first when compressed (arrays: any "
                  "element, or an index)"),
    "body": Field("text", False, 'body:"payment failed"',
                  "the body text as shown: gzip, br and deflate decoded (the first 1 MiB)"),
    "provider": Field("name", False, "provider:stripe", "the provider detected"),
    "event": Field("text", False, "event:payment_intent.*", "the event name"),
    "delivery": Field("text", False, "delivery:evt_1", "the delivery id"),
    "sig": Field("name", False, "sig:invalid",
                 "the worst verdict: valid invalid stale missing malformed unverified none"),
    "dup": Field("bool", False, "dup:true", "a duplicate of an earlier delivery"),
    "status": Field("status", False, "status:5xx", "the status answered to the sender"),
    "replayed": Field("bool", False, "replayed:false", "replayed at least once"),
    "route": Field("text", False, "route:localhost:3000",
                   "the route that took it: its `to` (a URL or drop), or none"),
    "size": Field("size", False, "size:>10kb", "the body's bytes (kb, mb: 1024-based)"),
    "time": Field("time", False, "time:>now-15m", "arrival, ISO 8601 (UTC unless an offset)"),
    "id": Field("number", False, "id:100..200", "the request's id"),
    "schema": Field("name", False, "schema:deviates",
                    "conformance: conforms deviates unknown_event no_schema not_json"),
    "finding": Field("text", False, "finding:/telegram_id",
                     "a conformance finding's path or keyword (finding:required)"),
}

SIGNATURE_VALUES = ("valid", "invalid", "stale", "missing", "malformed", "unverified", "none")
SCHEMA_VALUES = ("conforms", "deviates", "unknown_event", "no_schema", "not_json")

OPERATORS = (
    ("word", "contains, any case; bare: path, query, header values or body (decoded)"),
    ('"a phrase"', "contains the phrase"),
    ("f:=v", "the whole value"),
    ("f:/re/", "a regular expression, case-sensitive"),
    ("f:a*b", "wildcards over the whole value"),
    ("f:>n  >=  <  <=", "numbers, sizes, statuses, times"),
    ("f:a..b", "a range, both ends included"),
    ("has:f  missing:f", "a non-empty value, or none"),
    ("a b   a OR b   NOT a   -a   (a OR b) c", "AND, OR, NOT; NOT binds tightest, then AND"),
)
