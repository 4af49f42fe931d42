"""What `tail` prints for one request: its line, and with `--follow-body` its body."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

REASON_CHARS = 80
BODY_CHARS = 2000


def clock(received_at: str) -> str:
    """`HH:MM:SS` in the terminal's local time, from the summary's RFC 3339 UTC instant."""
    instant = datetime.fromisoformat(received_at.replace("Z", "+00:00"))
    return instant.astimezone().strftime("%H:%M:%S")


def worst_reason(signature: str | None, verdicts: list[dict[str, Any]]) -> str | None:
    """The reason of the first verdict with the summary's (worst) status."""
    return next((item["reason"] for item in verdicts
                 if item["status"] == signature and item.get("reason")), None)


def verdict_words(signature: str | None, reason: str | None) -> str | None:
    """`invalid: X-Hub-Signature-256 does not match HMAC-SHA256 of the raw body…`: the reason's
    first clause (its explanation follows a colon); a valid signature needs no reason."""
    if not signature:
        return None
    if signature == "valid" or not reason:
        return signature
    flat = " ".join(reason.split())
    head = flat.split(": ", 1)[0][:REASON_CHARS].rstrip()
    return f"{signature}: {head}" + ("…" if head != flat else "")


def format_line(summary: dict[str, Any], reason: str | None = None) -> str:
    target = summary["path"] + ("?" + summary["query"] if summary["query"] else "")
    status = summary["response_status"]
    line = (f"#{summary['id']} {clock(summary['received_at'])} {summary['method']} {target} "
            f"{summary['body_size']} B")
    line += f" → {status}" if status is not None else " → (no answer)"
    groups = [" ".join(str(part) for part in (summary.get("provider"), summary.get("event"))
                       if part),
              verdict_words(summary.get("signature"), reason)]
    if summary.get("duplicate_of"):
        groups.append(f"duplicate of #{summary['duplicate_of']}")
    if summary.get("error"):
        groups.append(str(summary["error"]))
    shown = [group for group in groups if group]
    return line + ("  " + "  ".join(shown) if shown else "")


def body_line(detail: dict[str, Any], limit: int = BODY_CHARS) -> str | None:
    """The body on one line: JSON compacted, other text with its line breaks escaped, binary
    as its size; cut after `limit` characters with a note of how much was left out."""
    decoded = detail.get("decoded") or {}
    text = decoded.get("body_text") if decoded.get("body_text") is not None \
        else detail.get("body_text")
    if text is None:
        size = decoded.get("size", detail["body_size"])
        return f"(binary body, {size} B)" if size else None
    if not text:
        return None
    try:
        shown = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    except ValueError:
        shown = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(shown) <= limit:
        return shown
    return f"{shown[:limit]}… (cut: {len(shown) - limit} more characters)"

