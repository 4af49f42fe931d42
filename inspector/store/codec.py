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
from json.encoder import encode_basestring_ascii
from typing import Any, NamedTuple

import msgspec

from ..captured import _TRAILERS, CapturedRequest, Shape, _Layout
from ..kept import SHARED_BOUND, SHARED_VALID, NumberedTemplate, SharedValid, shown_values
from ..models import (
    NUMBERED_BODY,
    HeaderPairs,
    HeaderShown,
    Replay,
    ResponseRecord,
    Verdict,
    new_tuple,
)

BLOBS = ("header_block", "body", "trailer_block")
Json = dict[str, Any]
# The document is every field but the blobs, in the record's order, as `json.dumps` writes
# them (compact separators), but for two things (session 11, both read as before by `decode`,
# which reads the former documents too): a finite float is written as msgspec writes it
# (the shortest digits that read back as it, as `repr`'s, at a sixth of its cost; an exponent
# without `+`), and a shared valid verdict (`SharedValid`: its shown values are its header's
# value, `HeaderShown`) is written as its first four fields only, its shown values read from
# the header block (every other verdict has all eight). It is written from what the record
# holds: its own values, and the JSON of its `Shape` (what the requests of one kind share: a
# shared verdict, an answer's template, the rare fields), made once per shape and kept.
_DOCUMENT = tuple(name for name in CapturedRequest._fields if name not in BLOBS)
_HEAD = ("id", "received_at", "method", "path", "query", "http_version", "remote", "body_size",
         "error", "provider", "event", "delivery_id", "duplicate_of")
_RARE = ("replays", "imported", "route", "mirrored", "held")
if (*_HEAD, "signatures", "response", *_RARE) != _DOCUMENT or _Layout._fields != (
        "id", "received_at", "query", "header_block", "body", "provider", "event",
        "delivery_id", "answer_ms", "shape"):
    raise TypeError(f"the stored document's fields changed: {_DOCUMENT}")
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)  # no cycles in a record
_string = encode_basestring_ascii  # the encoder's own writing of a str
_float = msgspec.json.encode  # a finite float's shortest round-trip digits, as bytes
# A record's own values in the kinds a request has them: written without the encoder's call
# (anything else is written by it).
_OWN_KINDS = frozenset(itertools.product((int,), (float,), (str,), *[(str, type(None))] * 3))
_NO_RARE = ((), False, None, (), None)
_NO_RARE_JSON = "," + _ENCODER.encode(dict(zip(_RARE, _NO_RARE, strict=True)))[1:]
_last_headers: list[tuple[HeaderPairs, str]] = [((), "[]")]
# the JSON kept of shared verdicts, as many as there are (kept.SHARED_BOUND)
SHOWN_FIELDS = 4  # a shared valid verdict's fields written (`HeaderShown`'s shown values not)
_shared_json: dict[SharedValid, str] = {}
SHAPES_KEPT = 256  # the JSON of so many shapes, by identity (captured.SHAPES_BOUND are shared)
_shapes_json: dict[int, tuple[Shape, ShapeJson]] = {}


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
    (request_id, received_at, query, header_block, body, provider, event, delivery_id,
     answer_ms, shape) = record
    kept = _shapes_json.get(id(shape))
    pieces = kept[1] if kept is not None and kept[0] is shape else _shape_json(shape)
    own = request_id, received_at, query, provider, event, delivery_id
    own_json: tuple[str, ...]
    if tuple(map(type, own)) in _OWN_KINDS and math.isfinite(received_at):
        own_json = (str(request_id), _float(received_at).decode(), _string(query),
                    "null" if provider is None else _string(provider),
                    "null" if event is None else _string(event),
                    "null" if delivery_id is None else _string(delivery_id))
    else:
        own_json = tuple(map(_ENCODER.encode, own))
    method_path, version_remote, cut_size, error, verdicts, response, numbered, tail = pieces
    answer = ""
    if numbered:
        answer = f'{_b64(NUMBERED_BODY % request_id)}","duration_ms":{_number(answer_ms)}'
    document = (f'{{"id":{own_json[0]},"received_at":{own_json[1]}{method_path}{own_json[2]}'
                f'{version_remote}{len(body) if cut_size is None else cut_size}{error}'
                f'{own_json[3]},"event":{own_json[4]},"delivery_id":{own_json[5]}'
                f'{verdicts}{response}{answer}{tail}')
    return document, {"header_block": header_block, "body": body,
                      "trailer_block": shape[_TRAILERS]}


class ShapeJson(NamedTuple):
    """A shape's part of the document, around the values of each record (`encode`)."""

    method_path: str  # `,"method":…,"path":…,"query":`
    version_remote: str  # `,"http_version":…,"remote":…,"body_size":`
    cut_size: str | None  # the body's size where it is not the body's length
    error: str  # `,"error":…,"provider":`
    verdicts: str  # `,"duplicate_of":…,"signatures":` and the verdicts
    response: str  # `,"response":` and the answer, or a template's up to its numbered body
    numbered: bool  # the answer is a template: its body and duration follow, of the record
    tail: str  # the template's source, the rare fields, the end


def _shape_json(shape: Shape) -> ShapeJson:
    """A shape's pieces of JSON, each value as the encoder writes it, kept for the next
    record of this shape (most records share the few shapes of their kinds; a record with
    an answer of its own, as a Redis store's before its id, has a shape of its own)."""
    method, path, http_version, remote, cut_size, duplicate_of, _, verdicts, response, rare \
        = shape
    response_json, source = _response_piece(response)
    rare_values = rare[1:]
    pieces = new_tuple(ShapeJson, (
        f',"method":{_json(method)},"path":{_json(path)},"query":',
        f',"http_version":{_json(http_version)},"remote":{_json(remote)},"body_size":',
        None if cut_size is None else _json(cut_size),
        f',"error":{_json(rare.error)},"provider":',
        f',"duplicate_of":{_json(duplicate_of)},"signatures":'
        f'{_shared(verdicts) if isinstance(verdicts, SharedValid) else _ENCODER.encode(verdicts)}',
        f',"response":{response_json}', isinstance(response, NumberedTemplate),
        source + (_NO_RARE_JSON if rare_values == _NO_RARE and rare.imported is False
                  else _rare_json(*rare_values))))
    if response is not None and not source:  # an answer of its own: a shape of its own
        return pieces
    if len(_shapes_json) >= SHAPES_KEPT:
        _shapes_json.clear()
    _shapes_json[id(shape)] = shape, pieces
    return pieces


def _json(value: Any) -> str:
    """A value as the encoder writes it: the usual kinds without its call."""
    if value.__class__ is str:
        return _string(value)
    if value is None:
        return "null"
    return str(value) if value.__class__ is int else _ENCODER.encode(value)


def _shared(kept: SharedValid) -> str:
    """A shared verdict's JSON: a list of its one verdict, without its shown values."""
    written = _shared_json.get(kept)
    if written is None:
        written = f'[[{_json(kept.provider)},"valid",{_json(kept.reason)},{_json(kept.header)}]]'
        if len(_shared_json) < SHARED_BOUND:
            _shared_json[kept] = written
    return written


def _response_piece(response: ResponseRecord | None) -> tuple[str, str]:
    """The response's JSON; a template's up to its body, and from its source on."""
    if response is None:
        return "null", ""
    status, headers, body, duration_ms, source = response
    head = f'{{"status":{_json(status)},"headers":{_headers_json(headers)},"body":"'
    if isinstance(response, NumberedTemplate):
        return head, f',"source":{_json(source)}}}'
    return (f'{head}{_b64(body)}","duration_ms":{_number(duration_ms)},'
            f'"source":{_json(source)}}}', "")


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


def _number(value: Any) -> str:
    finite = value.__class__ is float and math.isfinite(value)
    return _float(value).decode() if finite else _ENCODER.encode(value)


def decode(document: str | bytes, blobs: dict[str, bytes]) -> CapturedRequest:
    """The record back; ValueError (or KeyError/TypeError) when it is not one of ours."""
    fields: Json = json.loads(document)
    header_block = bytes(blobs["header_block"])
    alone = len(fields["signatures"]) == 1
    fields["signatures"] = tuple(_verdict(verdict, header_block, alone)
                                 for verdict in fields["signatures"])
    fields["response"] = _response(fields["response"])
    fields["replays"] = tuple(_replay(replay) for replay in fields["replays"])
    # routes came later: a record kept before them has none of their fields
    fields["mirrored"] = tuple(_replay(replay) for replay in fields.get("mirrored", ()))
    route = fields.get("route")
    fields["route"] = None if route is None else (int(route[0]), str(route[1]))
    fields.update((name, bytes(blobs[name])) for name in BLOBS)
    return CapturedRequest(**fields)


def _verdict(fields: list[Any], header_block: bytes, alone: bool) -> Verdict:
    """A verdict of its eight fields, or a shared valid one of its first four (session 11 on),
    shown from its header's value in the block, as the record it was written from shows it."""
    if len(fields) != SHOWN_FIELDS:
        return Verdict(*fields)
    provider, status, reason, header = fields
    if status != "valid" or header.__class__ is not str:
        raise ValueError(f"not a shared verdict: {fields!r}")
    if alone and (provider, status, reason, header) in SHARED_VALID:
        # The record keeps this one as the shared verdict of these four fields and derives
        # its shown values from its block when read (`CapturedRequest`): not derived twice.
        return HeaderShown(provider, status, reason, header)
    received, expected = shown_values(SharedValid(provider, reason, header), header_block)
    return HeaderShown(provider, status, reason, header, received, expected, None)
