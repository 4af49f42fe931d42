"""`replay ID --data JSON|@FILE`: the stored JSON body with the data merged in, as
`send --data` merges into a sample payload."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from ..config import ConfigError
from ..send.sender import deep_merge
from .send import read_data


def stored_body(ui: str, token: str | None, request_id: int) -> str | None:
    """The request's body as text (None when it is not UTF-8), read from the inspector."""
    request = urllib.request.Request(
        f"{ui.rstrip('/')}/api/requests/{request_id}",
        headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            detail: dict[str, Any] = json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise ConfigError(f"replay: request {request_id}: {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError) as error:
        raise ConfigError(f"replay: cannot reach the inspector at {ui}: {error}") from None
    text: str | None = detail.get("body_text")
    return text


def merged_body(ui: str, token: str | None, request_id: int, data: str) -> str:
    """Compact JSON, UTF-8 kept; an empty body is merged into as `{}`."""
    extra = read_data(data)
    text = stored_body(ui, token, request_id)
    if text is None:
        raise ConfigError(f"--data: the body of request {request_id} is binary, not JSON")
    try:
        original = json.loads(text) if text else {}
    except (ValueError, RecursionError):
        raise ConfigError(f"--data: the body of request {request_id} is not JSON (or is "
                          "nested too deeply), so there is nothing to merge into") from None
    return json.dumps(deep_merge(original, extra), ensure_ascii=False, separators=(",", ":"))
