"""The one JSON shape of requests, verdicts, responses and replays (API, websocket, templates)."""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
import time
from collections.abc import Mapping
from json.encoder import c_make_encoder  # type: ignore[attr-defined]
from json.encoder import encode_basestring_ascii as quoted
from typing import Any
from urllib.parse import parse_qsl

from .analysis import dedupe_key_of, url_of
from .bodies import Decoded, Part, multipart_parts, readable
from .captured import CapturedRequest, Shape, of_small_parts
from .conformance.judged import Judge
from .conformance.model import Conformance
from .models import HeaderPairs, Replay, ResponseRecord, Verdict, content_type_in
from .pieces import Rope, base64_text, utf8_text
from .steps import Steps

Json = dict[str, Any]


def rfc3339(timestamp: float) -> str:
    """UTC with milliseconds (truncated), e.g. 2026-11-22T10:31:11.756Z."""
    second = math.floor(timestamp)
    micros = round((timestamp - second) * 1_000_000)  # as datetime rounds, then truncate
    if micros == 1_000_000:
        second, micros = second + 1, 0
    return _utc_second(second) + _MILLISECONDS[micros // 1000]


# ".000Z" to ".999Z": every summary writes one (a format spec costs a third of the time's text)
_MILLISECONDS = tuple(f".{milliseconds:03d}Z" for milliseconds in range(1000))


@functools.lru_cache(maxsize=4)  # every summary formats a time; most share their second
def _utc_second(second: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))


# What json.dumps(separators=(",", ":")) writes, by one encoder made once (json.dumps and
# JSONEncoder.encode make a new one per call). No circular check (`markers` None): one dict
# shared by every call would keep the containers a failed call was in, and ours have no
# cycles.
_ENCODE = c_make_encoder(None, json.JSONEncoder().default, quoted, None, ":", ",", False,
                         False, True)


def compact(message: object) -> str:
    """JSON without spaces, for the websocket."""
    return "".join(_ENCODE(message, 0))


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
    content_type = record.content_type
    return {
        "id": record.id,
        "received_at": rfc3339(record.received_at),
        "method": record.method,
        "path": record.path,
        "query": record.query,
        "content_type": content_type,
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
        "conformance": judge.status_of(record, content_type),
        "route": route_json(record.route),
        "held": record.held,
    }


def summary_text(record: CapturedRequest, judge: Judge, head: str = "", tail: str = "",
                 fresh: bool = False) -> str:
    """`compact(summary(record, judge))`, made without the dict, between `head` and `tail`:
    what each websocket message carries (tests/test_summary_text.py holds the two equal).
    Each value is written as the encoder writes its type; one of a type ours never are (a
    hand-edited history file) makes the whole text the encoder's. The usual values are
    written in line, what the record's `Shape` holds from its shape's text, made once
    (`shape_texts`): a call each would cost a tenth of the text. The header block is lowered
    once, for the content type and the status. `fresh`: the record is being stored (its
    status is judged without looking for a kept one)."""
    shape, block = record.shape, record.header_block
    lowered = b"\r\n" + block.lower()
    content_type = content_type_in(block, lowered)
    provider, event, delivery_id = record.provider, record.event, record.delivery_id
    request_id, body, body_size = record.id, record.body, shape.cut_size
    if body_size is None:
        body_size = len(body)
    conformance = judge.fresh_status(record, content_type, lowered, body_size) if fresh \
        else judge.status_of(record, content_type, lowered)
    try:  # quoted(): TypeError for what is not a string
        kept = _SHAPE_TEXTS.get(id(shape))
        method_path, remote, original, route = kept[1] if kept is not None and \
            kept[0] is shape else shape_texts(record)
        return (
            f'{head}{{"id":{request_id if request_id.__class__ is int else _integer(request_id)},'
            f'"received_at":"{rfc3339(record.received_at)}",{method_path}'
            f'{quoted(record.query)},'
            f'"content_type":{"null" if content_type is None else quoted(content_type)},'
            f'"body_size":{body_size if body_size.__class__ is int else _integer(body_size)}'
            f'{remote}{"null" if provider is None else quoted(provider)},'
            f'"event":{"null" if event is None else quoted(event)},'
            f'"delivery_id":{"null" if delivery_id is None else quoted(delivery_id)}'
            f'{original}{"null" if conformance is None else quoted(conformance)}{route}{tail}')
    except TypeError:
        return f"{head}{compact(summary(record, judge))}{tail}"


# The texts of the shapes summarised last, by the shape's id (each entry keeps its shape, so
# the id is not reused meanwhile); at most SHAPE_TEXTS of them, each at most SHAPE_TEXT_CHARS
# long (a longer one, as a long path's, is made again at each summary), and only of shapes
# of small, shared parts (one that holds a request's replays or answer is not kept).
SHAPE_TEXTS = 256
SHAPE_TEXT_CHARS = 2048
_SHAPE_TEXTS: dict[int, tuple[Shape, tuple[str, str, str, str]]] = {}


def shape_texts(record: CapturedRequest) -> tuple[str, str, str, str]:
    """The summary's text of what the record's shape holds, in the four places it goes: the
    method and path (to the query), the remote (to the provider), the original, signature,
    answer, error and import (to the conformance), the route and hold (to the end). What
    the record reads of its shape alone (its signature's status, its answer's) is its
    shape's. TypeError for a value of a type ours never are."""
    route, held, original = record.route, record.held, record.duplicate_of
    signature, error, remote = record.signature_status, record.error, record.remote
    answered = record.response_status
    texts = (
        f'"method":{quoted(record.method)},"path":{quoted(record.path)},"query":',
        f',"remote":{"null" if remote is None else quoted(remote)},"provider":',
        f',"duplicate_of":{_integer(original)},'
        f'"signature":{"null" if signature is None else quoted(signature)},'
        f'"response_status":{_integer(answered)},'
        f'"error":{"null" if error is None else quoted(error)},'
        f'"imported":{_boolean(record.imported)},"conformance":',
        f',"route":{"null" if route is None else _route_text(route)},'
        f'"held":{"null" if held is None else quoted(held)}}}')
    if sum(map(len, texts)) <= SHAPE_TEXT_CHARS and of_small_parts(record.shape):
        if len(_SHAPE_TEXTS) >= SHAPE_TEXTS:
            _SHAPE_TEXTS.clear()
        _SHAPE_TEXTS[id(record.shape)] = (record.shape, texts)
    return texts


def delete_text(ids: object) -> str:
    """`compact({"type": "delete", "ids": ids})`, made without the dict: each capture past
    `--max-requests` sends one, mostly of one id."""
    if ids.__class__ is list and len(ids) == 1 and ids[0].__class__ is int:
        return f'{{"type":"delete","ids":[{ids[0]}]}}'
    if isinstance(ids, list) and {*map(type, ids)} <= {int}:  # no bool: not an int's type
        return f'{{"type":"delete","ids":[{",".join(map(str, ids))}]}}'
    return compact({"type": "delete", "ids": ids})


def _integer(value: int | None) -> str:
    if value is None:
        return "null"
    if value.__class__ is not int:  # a bool, a float, …: the encoder writes those
        raise TypeError(value)
    return str(value)


def _boolean(value: bool) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    raise TypeError(value)


def _route_text(route: tuple[int, str]) -> str:
    return f'{{"index":{_integer(route[0])},"to":{quoted(route[1])}}}'


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
