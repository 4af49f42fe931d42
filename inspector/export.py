"""Reproducing captured requests elsewhere: a shell-safe cURL command and HAR 1.2."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from . import __version__
from .analysis import url_of
from .captured import CapturedRequest
from .conformance.judged import Judge
from .models import HeaderPairs, ResponseRecord, header_value
from .pieces import Rope, base64_text, json_pieces, utf8_text
from .serialize import conformance_json, rfc3339
from .signatures import MASK, SIGNATURE_HEADERS
from .steps import Steps

_PHRASES = {status.value for status in HTTPStatus}

# Framing headers describe the original connection; curl sets its own.
_SKIPPED_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


def printf_escaped(body: bytes) -> str:
    """A printf format that writes exactly these bytes (octal escapes, POSIX printf)."""
    pieces = []
    for byte in body:
        char = chr(byte)
        if 0x20 <= byte < 0x7F and char not in "\\%'":
            pieces.append(char)
        else:
            pieces.append(f"\\{byte:03o}")
    return "".join(pieces)


# Headers curl adds of its own unless told not to (an empty `-H 'Name:'` removes one).
_CURL_DEFAULTS = ("User-Agent", "Accept", "Content-Type")


def curl_command(record: CapturedRequest, base_url: str) -> str:
    """A command that sends the same method, path, query, headers and body bytes to base_url,
    once: no URL globbing (-g), no dot-segment squashing (--path-as-is), HEAD as -I (curl
    would wait for a body after -X HEAD), and a body that curl never reads as a file name."""
    url = base_url.rstrip("/") + record.path + (f"?{record.query}" if record.query else "")
    method = ["-I"] if record.method == "HEAD" else ["-X", shlex.quote(record.method)]
    parts = ["curl", "-sS", "-g", "--path-as-is", *method, shlex.quote(url)]
    sent = {name.lower() for name, _ in record.headers}
    for name, value in record.headers:
        if name.lower() not in _SKIPPED_HEADERS:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
    for name in _CURL_DEFAULTS:
        if name.lower() not in sent:
            parts += ["-H", shlex.quote(f"{name}:")]
    if not record.body:
        return " ".join(parts)
    try:
        text = record.body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text:
        return " ".join([*parts, "--data-raw", shlex.quote(text)])  # never read as @file
    command = " ".join([*parts, "--data-binary", "@-"])  # the bytes come from printf
    return f"printf '{printf_escaped(record.body)}' | {command}"


# --- HAR 1.2 ----------------------------------------------------------------------------------

SENSITIVE_HEADERS = {"authorization", "cookie", "set-cookie", "proxy-authorization",
                     "x-api-key"}


def is_sensitive(name: str) -> bool:
    """Credentials and signature headers (every scheme's, and any named like one): the ones
    worth masking before sharing a HAR."""
    lowered = name.lower()
    return lowered in SENSITIVE_HEADERS or lowered in SIGNATURE_HEADERS \
        or "signature" in lowered or "token" in lowered


def har_headers(headers: HeaderPairs, mask: bool) -> list[dict[str, str]]:
    return [{"name": name, "value": MASK if mask and is_sensitive(name) else value}
            for name, value in headers]


def har_text(body: bytes) -> Steps[dict[str, Any]]:
    """A body as HAR content: its text when it is UTF-8, else base64, made a piece at a time
    (a 10 MiB body in one call holds the loop 10-25 ms: pieces.py)."""
    data = Rope([body])
    try:
        return {"text": (yield from utf8_text(data))}
    except UnicodeDecodeError:
        return {"text": (yield from base64_text(data)), "encoding": "base64"}


def har_response(answer: ResponseRecord | None, mask: bool) -> Steps[dict[str, Any]]:
    if answer is None:  # not answered (a hang or close rule, or still forwarding)
        return {"status": 0, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [],
                "headers": [], "content": {"size": 0, "mimeType": ""}, "redirectURL": "",
                "headersSize": -1, "bodySize": -1}
    phrase = HTTPStatus(answer.status).phrase if answer.status in _PHRASES else ""
    return {
        "status": answer.status, "statusText": phrase, "httpVersion": "HTTP/1.1", "cookies": [],
        "headers": har_headers(answer.headers, mask),
        "content": {"size": len(answer.body),
                    "mimeType": header_value(answer.headers, "content-type") or "",
                    **(yield from har_text(answer.body))},
        "redirectURL": header_value(answer.headers, "location") or "",
        "headersSize": -1, "bodySize": len(answer.body),
    }


def har_entry(record: CapturedRequest, mask: bool, judge: Judge) -> Steps[dict[str, Any]]:
    url = url_of(record)
    content_type = record.content_type or "application/octet-stream"
    request: dict[str, Any] = {
        "method": record.method, "url": url, "httpVersion": record.http_version,
        "cookies": [], "headers": har_headers(record.headers, mask),
        "queryString": [{"name": k, "value": v}
                        for k, v in parse_qsl(record.query, keep_blank_values=True)],
        "headersSize": -1, "bodySize": record.body_size,
    }
    if record.body:
        text = yield from har_text(record.body)
        request["postData"] = {"mimeType": content_type, "params": [], "text": text["text"]}
        if "encoding" in text:
            request["postData"]["comment"] = "base64-encoded: the body is not UTF-8"
    answer = record.response
    duration = answer.duration_ms if answer else 0.0
    conformance = judge.of(record)
    return {
        "startedDateTime": rfc3339(record.received_at),
        "time": round(duration, 3),
        "request": request,
        "response": (yield from har_response(answer, mask)),
        "cache": {},
        "timings": {"send": 0, "wait": round(duration, 3), "receive": 0},
        "comment": record.error or "",
        **({"_conformance": conformance_json(conformance)} if conformance else {}),
    }


def har_document(records: Iterable[CapturedRequest], mask: bool, judge: Judge
                 ) -> Iterator[bytes | None]:
    """A HAR 1.2 document of the records as the pieces of its JSON, one entry after another,
    with a None after each step of work (a turn for the loop: steps.turns), so that neither
    the document nor the loop is ever held whole."""
    creator = json.dumps({"name": "webhook-inspector", "version": __version__})
    yield f'{{"log": {{"version": "1.2", "creator": {creator}, "entries": ['.encode()
    for index, record in enumerate(records):
        entry = yield from har_entry(record, mask, judge)
        pieces = yield from json_pieces(entry)
        if index:
            yield b", "
        yield from pieces
    yield b"]}}"
