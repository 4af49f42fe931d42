"""What each field of a query reads in a record: text values (a field may have several, a
term matches if any does) or one ordered number."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from ..analysis import url_of
from ..captured import CapturedRequest
from ..conformance.judged import Judge
from ..signatures import Headers
from .body_view import body_view, needs_view


def header_values(record: CapturedRequest, name: str) -> list[str]:
    wanted = name.lower()
    return [value for key, value in record.headers if key.lower() == wanted]


def _first_of_list(value: str | None) -> list[str]:
    return [] if value is None else [value.split(",")[0].strip()]


def _body_text(record: CapturedRequest) -> str:
    return record.body.decode("utf-8", "replace")


def body_texts(record: CapturedRequest) -> list[str]:
    """The body as the page shows it: decoded per Content-Encoding (body_view), and the raw
    text as well when decoding failed part way; else the raw text."""
    view = body_view(record) if needs_view(record) else None
    if view is None or view.text is None:
        return [_body_text(record)]
    return [view.text, _body_text(record)] if view.raw_too else [view.text]


def _form(record: CapturedRequest, name: str) -> list[str]:
    """A urlencoded body's field (decoded first when it has a content coding), or a multipart
    body's."""
    fields = body_view(record).fields if needs_view(record) else ()
    if "application/x-www-form-urlencoded" in (record.content_type or "").lower():
        fields = (*fields, *parse_qsl(body_texts(record)[0], keep_blank_values=True))
    return [value for key, value in fields if key == name]


def json_values(record: CapturedRequest, path: str) -> list[Any]:
    """The values at a dotted path of the (decoded) body; an array is entered at an index,
    or at every element."""
    decoded = body_view(record).text if needs_view(record) else None
    body: str | bytes = record.body if decoded is None else decoded
    opens = ("{", "[") if isinstance(body, str) else (b"{", b"[")
    if body[:1] not in opens and body.lstrip()[:1] not in opens:
        return []
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return []
    return list(_walk(document, path.split(".")))


def _walk(value: Any, segments: list[str]) -> Iterator[Any]:
    if not segments:
        yield value
    elif isinstance(value, dict):
        if segments[0] in value:
            yield from _walk(value[segments[0]], segments[1:])
    elif isinstance(value, list):
        if segments[0].isdigit():
            index = int(segments[0])
            if index < len(value):
                yield from _walk(value[index], segments[1:])
        else:
            for element in value:
                yield from _walk(element, segments)


def json_text(value: Any) -> str:
    """A JSON value as a query reads it: strings as they are, null as empty, the rest as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _remote(record: CapturedRequest) -> list[str]:
    forwarded = [part.strip() for value in header_values(record, "x-forwarded-for")
                 for part in value.split(",") if part.strip()]
    return ([record.remote] if record.remote else []) + forwarded


def _optional(value: str | None) -> list[str]:
    return [] if value is None else [value]


def _findings(judge: Judge, record: CapturedRequest) -> list[str]:
    """Each finding's path and keyword."""
    found = judge.of(record)
    return [] if found is None else [text for finding in found.findings
                                     for text in (finding.path, finding.keyword)]


def text_values(record: CapturedRequest, field: str | None, name: str | None,
                judge: Judge | None = None) -> list[str]:
    """The text a term on `field` looks at (None: a bare word's path, query, header values
    and body); `schema:` and `finding:` read through the inspector's judge (none: nothing)."""
    if field is None:
        return [record.path, record.query, *(value for _, value in record.headers),
                *body_texts(record)]
    if field == "header":
        return header_values(record, name or "")
    if field == "query":
        return [value for key, value in parse_qsl(record.query, keep_blank_values=True)
                if key == name]
    if field == "form":
        return _form(record, name or "")
    if field == "json":
        return [json_text(value) for value in json_values(record, name or "")]
    if field in _JUDGED:
        return [] if judge is None else _JUDGED[field](judge, record)
    return _SIMPLE[field](record)


_SIMPLE: dict[str, Callable[[CapturedRequest], list[str]]] = {
    "method": lambda r: [r.method],
    "path": lambda r: [r.path],
    "url": lambda r: [url_of(r)],
    "host": lambda r: _first_of_list(Headers(r.headers).get("X-Forwarded-Host")
                                     or Headers(r.headers).get("Host")),
    "ip": _remote,
    "ct": lambda r: _optional(r.content_type),
    "body": body_texts,
    "provider": lambda r: _optional(r.provider),
    "event": lambda r: _optional(r.event),
    "delivery": lambda r: _optional(r.delivery_id),
    "sig": lambda r: [r.signature_status or "none"],
    "dup": lambda r: ["true" if r.duplicate_of is not None else "false"],
    "replayed": lambda r: ["true" if r.replays else "false"],
    "route": lambda r: [_route_to(r)],
}
# The fields read through an inspector's judge: its kept statuses and verdicts.
_JUDGED: dict[str, Callable[[Judge, CapturedRequest], list[str]]] = {
    "schema": lambda judge, r: _optional(judge.status_of(r)),
    "finding": _findings,
}


def _route_to(record: CapturedRequest) -> str:
    return record.route[1] if record.route is not None else "none"


def ordered_value(record: CapturedRequest, field: str) -> float | None:
    if field == "status":
        status = record.response_status
        return None if status is None else float(status)
    if field == "size":
        return float(record.body_size)
    if field == "time":
        return record.received_at
    return float(record.id)


def present(record: CapturedRequest, field: str, name: str | None, judge: Judge) -> bool:
    """`has:F`: F has a non-empty value (a verdict, a duplicate, a replay, an answer, a
    body)."""
    if field in ("status", "size", "time", "id"):
        value = ordered_value(record, field)
        return value is not None and (field != "size" or value > 0)
    if field == "sig":
        return record.signature_status is not None
    if field == "route":
        return record.route is not None
    if field in ("dup", "replayed"):
        return text_values(record, field, name) == ["true"]
    return any(value != "" for value in text_values(record, field, name, judge))


# The fields with at most one text value, read without building a list (the common case).
SINGLE_VALUES: dict[str, Callable[[CapturedRequest], str | None]] = {
    "method": lambda r: r.method,
    "path": lambda r: r.path,
    "ct": lambda r: r.content_type,
    "provider": lambda r: r.provider,
    "event": lambda r: r.event,
    "delivery": lambda r: r.delivery_id,
    "sig": lambda r: r.signature_status or "none",
    "dup": lambda r: "true" if r.duplicate_of is not None else "false",
    "replayed": lambda r: "true" if r.replays else "false",
    "route": _route_to,
}


def single_reader(field: str, judge: Judge) -> Callable[[CapturedRequest], str | None] | None:
    """What a field with at most one text value reads, for this judge (None: not one)."""
    return judge.status_of if field == "schema" else SINGLE_VALUES.get(field)
