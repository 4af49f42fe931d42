"""The answer a HAR entry recorded (`response`), kept beside the imported request as what
the HAR's server answered (source "har"), never as this inspector's answer. Pure.

Browsers write status 0 for a request that got no answer (blocked, failed, cancelled): none is
kept. Chrome joins repeated answer headers (Set-Cookie) into one value with line breaks: each
line is its own header again.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from .har_text import HarError
from .har_values import field, headers_of, plain, text_bytes
from .models import HeaderPairs, ResponseRecord
from .steps import Steps

NOT_ANSWERED = 0


class Answer(NamedTuple):
    response: ResponseRecord | None
    note: str | None  # what of the answer was left out


def har_answer(entry: dict[str, Any], where: str, max_body: int) -> Steps[Answer]:
    found = entry.get("response")
    at = f"{where}.response"
    if found is None:
        return Answer(None, None)
    if not isinstance(found, dict):
        raise HarError(f"{at}: expected an object")
    status = found.get("status", NOT_ANSWERED)
    if status == NOT_ANSWERED:
        return Answer(None, None)
    if type(status) is not int or not 100 <= status <= 999:
        raise HarError(f"{at}.status: not an HTTP status: {str(plain(status))[:20]!r}")
    headers = _headers(field(found, "headers", list, at, []), f"{at}.headers")
    body, note = yield from _body(found, at, max_body)
    return Answer(ResponseRecord(status, headers, body, _elapsed_ms(entry), "har"), note)


def _elapsed_ms(entry: dict[str, Any]) -> float:
    elapsed = entry.get("time")
    if isinstance(elapsed, int | float) and math.isfinite(elapsed) and elapsed >= 0:
        return float(elapsed)
    return 0.0  # -1, missing or not a number: HAR's "not known"


def _headers(headers: list[Any], where: str) -> HeaderPairs:
    pairs = []
    for name, value, at in headers_of(headers, where):
        if "\x00" in value:
            raise HarError(f"{at}.value: NUL in the value of {name}")
        pairs += [(name, line.strip("\r")) for line in value.split("\n")]
    return tuple(pairs)


def _body(response: dict[str, Any], where: str, max_body: int) -> Steps[tuple[bytes, str | None]]:
    content = response.get("content")
    if not isinstance(content, dict) or content.get("text") is None:
        return b"", None
    body = yield from text_bytes(content, f"{where}.content")
    if len(body) > max_body:
        return b"", (f"the HAR's answer body of {len(body)} bytes exceeds --max-body "
                     f"{max_body}: left out")
    return body, None
