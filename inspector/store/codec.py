"""A stored request as bytes and back, for the engines that keep history outside the process.

The raw parts (header block, body) stay bytes, each in a blob of its own; everything else is
one JSON document. JSON, never pickle: a file or a Redis key is input like any other.
"""

from __future__ import annotations

import base64
import json
import operator
from typing import Any

from ..captured import CapturedRequest
from ..models import Replay, ResponseRecord, Verdict

BLOBS = ("header_block", "body", "trailer_block")
Json = dict[str, Any]
# The document's fields in the record's order, taken in one step (by name: what a record
# holds need not be what it reads as). Tuples (the verdicts, a route) are written as JSON
# arrays by the encoder itself; no cycles can occur in a record.
_DOCUMENT = tuple(name for name in CapturedRequest._fields if name not in BLOBS)
_document_values = operator.attrgetter(*_DOCUMENT)
_blob_values = operator.attrgetter(*BLOBS)
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


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
    """The JSON document of a record and its raw blobs (on every durable capture's path:
    kept to one dict and one encoder call)."""
    fields = dict(zip(_DOCUMENT, _document_values(record), strict=True))
    if record.response is not None:
        fields["response"] = _response_json(record.response)
    if record.replays:
        fields["replays"] = [_replay_json(replay) for replay in record.replays]
    if record.mirrored:
        fields["mirrored"] = [_replay_json(replay) for replay in record.mirrored]
    return _ENCODER.encode(fields), dict(zip(BLOBS, _blob_values(record), strict=True))


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
