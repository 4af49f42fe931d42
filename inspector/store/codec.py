"""A stored request as bytes and back, for the engines that keep history outside the process.

The raw parts (header block, body) stay bytes, each in a blob of its own; everything else is
one JSON document. JSON, never pickle: a file or a Redis key is input like any other.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import math
import operator
from json.encoder import encode_basestring_ascii
from typing import Any

from ..captured import CapturedRequest
from ..kept import SHARED_BOUND, NumberedTemplate, SharedValid, shown_values
from ..models import NUMBERED_BODY, HeaderPairs, Replay, ResponseRecord, Verdict

BLOBS = ("header_block", "body", "trailer_block")
Json = dict[str, Any]
# The document is every field but the blobs, in the record's order, as `json.dumps` writes
# them (compact separators). It is written in pieces, from what the record keeps (a shared
# verdict, an answer's template) rather than from what it derives when read: the scalars
# first, then the verdicts, the response, and the rare fields (a constant when none is set).
_DOCUMENT = tuple(name for name in CapturedRequest._fields if name not in BLOBS)
_HEAD = ("id", "received_at", "method", "path", "query", "http_version", "remote", "body_size",
         "error", "provider", "event", "delivery_id", "duplicate_of")  # as `_head_json` reads
_RARE = ("replays", "imported", "route", "mirrored", "held")
if (*_HEAD, "signatures", "response", *_RARE) != _DOCUMENT:
    raise TypeError(f"the stored document's fields changed: {_DOCUMENT}")
_head_values = operator.attrgetter(*_HEAD)
_rare_values = operator.attrgetter(*_RARE)
_blob_values = operator.attrgetter(*BLOBS)
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)  # no cycles in a record
_string = encode_basestring_ascii  # the encoder's own writing of a str
_NO_RARE = ((), False, None, (), None)
_NO_RARE_JSON = "," + _ENCODER.encode(dict(zip(_RARE, _NO_RARE, strict=True)))[1:]
# The head's fields in the kinds a request has them (`remote` and those after `body_size`
# may be None): written without the encoder's call; anything else is written by it.
_KINDS = {"id": (int,), "received_at": (float,), "method": (str,), "path": (str,),
          "query": (str,), "http_version": (str,), "body_size": (int,),
          "duplicate_of": (int, type(None))}
_HEAD_KINDS = frozenset(itertools.product(*(_KINDS.get(name, (str, type(None)))
                                            for name in _HEAD)))
# the JSON kept of shared verdicts, as many as there are (kept.SHARED_BOUND)
_shared_json: dict[SharedValid, str] = {}
_last_headers: list[tuple[HeaderPairs, str]] = [((), "[]")]


def _b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")  # `base64.b64encode`


def _bytes(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _pairs(pairs: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(value)) for name, value in pairs)


def _response_json(response: ResponseRecord | None) -> Json | None:
    if response is None:
        return None
    return {"status": response.status, "headers": response.headers, "body": _b64(response.body),
            "duration_ms": response.duration_ms, "source": response.source}


def _response(data: Json | None) -> ResponseRecord | None:
    if data is None:
        return None
    return ResponseRecord(int(data["status"]), _pairs(data["headers"]), _bytes(data["body"]),
                          float(data["duration_ms"]), data["source"])


def _replay_json(replay: Replay) -> Json:
    return {"at": replay.at, "target": replay.target, "method": replay.method,
            "status": replay.status, "headers": replay.headers, "body": _b64(replay.body),
            "duration_ms": replay.duration_ms, "error": replay.error,
            "request_headers": replay.request_headers,
            "request_body": _b64(replay.request_body), "edited": replay.edited,
            "resigned": replay.resigned, "note": replay.note}


def _replay(data: Json) -> Replay:
    return Replay(at=float(data["at"]), target=data["target"], method=data["method"],
                  status=data["status"], headers=_pairs(data["headers"]),
                  body=_bytes(data["body"]), duration_ms=float(data["duration_ms"]),
                  error=data["error"], request_headers=_pairs(data["request_headers"]),
                  request_body=_bytes(data["request_body"]),
                  edited=bool(data.get("edited")), resigned=bool(data.get("resigned")),
                  note=data.get("note"))


def encode(record: CapturedRequest) -> tuple[str, dict[str, bytes]]:
    """The JSON document of a record and its raw blobs (on every durable capture's path)."""
    rare = _rare_values(record)
    none_set = rare == _NO_RARE and rare[1] is False  # `imported` False (0 would equal it)
    document = (f'{_head_json(_head_values(record))},"signatures":{_verdicts_json(record)},'
                f'"response":{_response_document(record)}'
                f'{_NO_RARE_JSON if none_set else _rare_json(*rare)}')
    return document, dict(zip(BLOBS, _blob_values(record), strict=True))


def _null_or(text: str | None) -> str:
    return "null" if text is None else _string(text)


def _float_json(value: Any) -> str:
    finite = value.__class__ is float and math.isfinite(value)
    return float.__repr__(value) if finite else _ENCODER.encode(value)


def _head_json(values: tuple[Any, ...]) -> str:
    """`{"id":…` up to `duplicate_of`'s value, as the encoder writes them."""
    (request_id, received_at, method, path, query, http_version, remote, body_size, error,
     provider, event, delivery_id, duplicate_of) = values
    if tuple(map(type, values)) not in _HEAD_KINDS or not math.isfinite(received_at):
        return _ENCODER.encode(dict(zip(_HEAD, values, strict=True)))[:-1]
    return (f'{{"id":{request_id},"received_at":{received_at!r},"method":{_string(method)},'
            f'"path":{_string(path)},"query":{_string(query)},'
            f'"http_version":{_string(http_version)},"remote":{_null_or(remote)},'
            f'"body_size":{body_size},"error":{_null_or(error)},'
            f'"provider":{_null_or(provider)},"event":{_null_or(event)},'
            f'"delivery_id":{_null_or(delivery_id)},'
            f'"duplicate_of":{"null" if duplicate_of is None else duplicate_of}')


def _verdicts_json(record: CapturedRequest) -> str:
    kept = record.kept_signatures
    if not isinstance(kept, SharedValid):
        return _ENCODER.encode(kept)
    received, expected = shown_values(kept, record.header_block)
    head = _shared_json.get(kept) or _shared_head(kept)
    return f"{head}{_null_or(received)},{_null_or(expected)},null,true]]"


def _shared_head(kept: SharedValid) -> str:
    """A shared verdict's JSON (a list of its one verdict) up to its shown values."""
    head = f'[[{_string(kept.provider)},"valid",{_string(kept.reason)},{_string(kept.header)},'
    if len(_shared_json) < SHARED_BOUND:
        _shared_json[kept] = head
    return head


def _response_document(record: CapturedRequest) -> str:
    """The response's JSON, from the answer's template and the id where it keeps one."""
    kept = record.kept_response
    if kept is None:
        return "null"
    status, headers, body, duration_ms, source = kept
    duration: float | None = duration_ms
    if isinstance(kept, NumberedTemplate):
        body, duration = NUMBERED_BODY % record.id, record.answer_ms
    if status.__class__ is not int or source.__class__ is not str:
        return _ENCODER.encode(_response_json(record.response))
    return (f'{{"status":{status},"headers":{_headers_json(headers)},"body":"{_b64(body)}",'
            f'"duration_ms":{_float_json(duration)},"source":{_string(source)}}}')


def _headers_json(headers: HeaderPairs) -> str:
    """Most answers share one tuple of headers (their template's, a configured answer's):
    the last one written is kept with its JSON."""
    seen, written = _last_headers[0]
    if headers is not seen:
        written = _ENCODER.encode(headers)
        _last_headers[0] = headers, written
    return written


def _rare_json(replays: tuple[Replay, ...], imported: bool, route: tuple[int, str] | None,
               mirrored: tuple[Replay, ...], held: str | None) -> str:
    rare = {"replays": [_replay_json(replay) for replay in replays], "imported": imported,
            "route": route, "mirrored": [_replay_json(replay) for replay in mirrored],
            "held": held}
    return "," + _ENCODER.encode(rare)[1:]


def decode(document: str | bytes, blobs: dict[str, bytes]) -> CapturedRequest:
    """The record back; ValueError (or KeyError/TypeError) when it is not one of ours."""
    fields: Json = json.loads(document)
    fields["signatures"] = tuple(Verdict(*verdict) for verdict in fields["signatures"])
    fields["response"] = _response(fields["response"])
    fields["replays"] = tuple(_replay(replay) for replay in fields["replays"])
    # routes came later: a record kept before them has none of their fields
    fields["mirrored"] = tuple(_replay(replay) for replay in fields.get("mirrored", ()))
    route = fields.get("route")
    fields["route"] = None if route is None else (int(route[0]), str(route[1]))
    fields.update((name, bytes(blobs[name])) for name in BLOBS)
    return CapturedRequest(**fields)
