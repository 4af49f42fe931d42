"""The one JSON shape of requests, verdicts, responses and replays (API, websocket, templates)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from .models import CapturedRequest, HeaderPairs, Replay, ResponseRecord, Verdict

Json = dict[str, Any]


def rfc3339(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def body_fields(body: bytes) -> Json:
    """`body_text` when the bytes are UTF-8, else `body_base64`."""
    try:
        return {"body_text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_text": None, "body_base64": base64.b64encode(body).decode("ascii")}


def header_list(headers: HeaderPairs) -> list[list[str]]:
    return [[name, value] for name, value in headers]


def summary(record: CapturedRequest) -> Json:
    response = record.response
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
        "response_status": response.status if response else None,
        "error": record.error,
    }


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


def response(item: ResponseRecord) -> Json:
    return {
        "status": item.status,
        "headers": header_list(item.headers),
        **body_fields(item.body),
        "duration_ms": round(item.duration_ms, 3),
        "source": item.source,
    }


def replay(item: Replay) -> Json:
    return {
        "at": rfc3339(item.at),
        "target": item.target,
        "method": item.method,
        "status": item.status,
        "headers": header_list(item.headers),
        **body_fields(item.body),
        "duration_ms": round(item.duration_ms, 3),
        "error": item.error,
        "request": {"headers": header_list(item.request_headers),
                    **body_fields(item.request_body)},
    }


def detail(record: CapturedRequest) -> Json:
    return {
        **summary(record),
        "http_version": record.http_version,
        "headers": header_list(record.headers),
        "query_params": [list(pair) for pair in parse_qsl(record.query, keep_blank_values=True)],
        **body_fields(record.body),
        "signatures": [verdict(item) for item in record.signatures],
        "response": response(record.response) if record.response else None,
        "replays": [replay(item) for item in record.replays],
    }
