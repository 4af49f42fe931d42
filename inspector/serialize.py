"""The one JSON shape of requests, verdicts, responses and replays (API, websocket, templates)."""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from .analysis import dedupe_key_of, url_of
from .bodies import Decoded, Part, multipart_parts, readable
from .conformance.judged import Judge
from .conformance.model import Conformance
from .models import CapturedRequest, HeaderPairs, Replay, ResponseRecord, Verdict
from .pieces import Rope, base64_text, utf8_text
from .steps import Steps

Json = dict[str, Any]


def rfc3339(timestamp: float) -> str:
    """UTC with milliseconds (truncated), e.g. 2026-11-22T10:31:11.756Z."""
    second = math.floor(timestamp)
    micros = round((timestamp - second) * 1_000_000)  # as datetime rounds, then truncate
    if micros == 1_000_000:
        second, micros = second + 1, 0
    return f"{_utc_second(second)}.{micros // 1000:03d}Z"


@functools.lru_cache(maxsize=4)  # every summary formats a time; most share their second
def _utc_second(second: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))


_COMPACT = json.JSONEncoder(separators=(",", ":"))


def compact(message: object) -> str:
    """JSON without spaces, for the websocket (one encoder, not one per message)."""
    return _COMPACT.encode(message)


def body_fields(body: bytes | Rope) -> Steps[Json]:
    """`body_text` when the bytes are UTF-8, else `body_base64` (each a `Text`)."""
    pieces = body if isinstance(body, Rope) else Rope([body])
    try:
        return {"body_text": (yield from utf8_text(pieces))}
    except UnicodeDecodeError:
        return {"body_text": None, "body_base64": (yield from base64_text(pieces))}


def pairs_from_json(value: Any) -> list[tuple[str, str]]:
    """Headers given as a JSON object or a list of [name, value] pairs; ValueError otherwise."""
    pairs = list(value.items()) if isinstance(value, dict) else value
    if not isinstance(pairs, list) or not all(
            isinstance(pair, list | tuple) and len(pair) == 2 for pair in pairs):
        raise ValueError("headers must be an object or a list of [name, value] pairs")
    return [(str(name), str(text)) for name, text in pairs]


def body_from_json(payload: Mapping[str, Any], default: bytes) -> bytes:
    """`body_base64` decoded, else `body` as UTF-8, else `default`; ValueError on bad base64."""
    if payload.get("body_base64") is not None:
        try:
            return base64.b64decode(str(payload["body_base64"]), validate=True)
        except binascii.Error:
            raise ValueError("body_base64 is not valid base64") from None
    if payload.get("body") is not None:
        return str(payload["body"]).encode("utf-8")
    return default


def header_list(headers: HeaderPairs) -> list[list[str]]:
    return [[name, value] for name, value in headers]


def summary(record: CapturedRequest, judge: Judge) -> Json:
    """SUMMARY; its conformance status as this inspector's judge finds it."""
    return {
        "id": record.id,
        "received_at": rfc3339(record.received_at),
        "method": record.method,
        "path": record.path,
        "query": record.query,
        "content_type": record.content_type,
        "body_size": record.body_size,
        "remote": record.remote,
        "provider": record.provider,
        "event": record.event,
        "delivery_id": record.delivery_id,
        "duplicate_of": record.duplicate_of,
        "signature": record.signature_status,
        "response_status": record.response_status,
        "error": record.error,
        "imported": record.imported,
        "conformance": judge.status_of(record),
        "route": route_json(record.route),
        "held": record.held,
    }


def route_json(route: tuple[int, str] | None) -> Json | None:
    """Which route took a request: its index and where it goes (a URL, or `drop`)."""
    return None if route is None else {"index": route[0], "to": route[1]}


def verdict(item: Verdict) -> Json:
    return {
        "provider": item.provider,
        "status": item.status,
        "reason": item.reason,
        "header": item.header,
        "received": item.received,
        "expected": item.expected,
        "timestamp_age_s": item.timestamp_age_s,
    }


def conformance_json(item: Conformance | None) -> Json | None:
    """SPEC 13's `conformance` object: null when the provider is unknown."""
    if item is None:
        return None
    schema = item.schema
    return {
        "status": item.status,
        "event": item.event,
        "schema": None if schema is None else {
            "name": schema.name, "source": schema.source, "version": schema.version},
        "findings": [finding._asdict() for finding in item.findings],
    }


def response(item: ResponseRecord) -> Steps[Json]:
    return {
        "status": item.status,
        "headers": header_list(item.headers),
        **(yield from body_fields(item.body)),
        "duration_ms": round(item.duration_ms, 3),
        "source": item.source,
    }


def replay(item: Replay) -> Steps[Json]:
    return {
        "at": rfc3339(item.at),
        "target": item.target,
        "method": item.method,
        "status": item.status,
        "headers": header_list(item.headers),
        **(yield from body_fields(item.body)),
        "duration_ms": round(item.duration_ms, 3),
        "error": item.error,
        "edited": item.edited,
        "resigned": item.resigned,
        "note": item.note,
        "request": {"headers": header_list(item.request_headers),
                    **(yield from body_fields(item.request_body))},
    }


def detail(record: CapturedRequest, judge: Judge) -> Steps[Json]:
    """DETAIL, a step at a time: its bodies may be 10 MiB each."""
    replays, mirrored = [], []
    for item in record.replays:
        replays.append((yield from replay(item)))
    for item in record.mirrored:
        mirrored.append((yield from replay(item)))
    return {
        **summary(record, judge),
        "url": url_of(record),
        "http_version": record.http_version,
        "headers": header_list(record.headers),
        "trailers": header_list(record.trailers),
        "query_params": [list(pair) for pair in parse_qsl(record.query, keep_blank_values=True)],
        "dedupe_key": dedupe_key_of(record, bool(record.signatures)) if record.provider else None,
        **(yield from body_fields(record.body)),
        **(yield from body_views(record)),
        "signatures": [verdict(item) for item in record.signatures],
        "conformance": conformance_json(judge.of(record)),
        "response": (yield from response(record.response)) if record.response else None,
        "replays": replays,
        "mirrored": mirrored,
    }


def body_views(record: CapturedRequest) -> Steps[Json]:
    """`decoded` (per Content-Encoding, null without one) and `parts` (of a multipart body,
    null otherwise), beside the raw bytes."""
    decoded, view = yield from readable(record.body, record.headers)
    parts = yield from multipart_parts(view, record.content_type)
    shown: list[Json] = []
    for index, part in enumerate(parts or ()):
        shown.append(part_json(record.id, index, part))
        yield
    return {"decoded": (yield from decoded_json(decoded)) if decoded else None,
            "parts": None if parts is None else shown}


def decoded_json(decoded: Decoded) -> Steps[Json]:
    return {"encoding": decoded.encoding, "size": len(decoded.data),
            "truncated": decoded.truncated, "error": decoded.error,
            **(yield from body_fields(decoded.data))}


def part_json(request_id: int, index: int, part: Part) -> Json:
    return {"index": index, "name": part.disposition("name"),
            "filename": part.disposition("filename"), "content_type": part.content_type,
            "headers": header_list(part.headers), "size": part.end - part.start,
            "url": f"/api/requests/{request_id}/parts/{index}"}
